/**
 * Video-AI events: what the outside video-analysis system sends when a camera sees one of the
 * eight urban-management problems it is trained on (the Baiyun centre's "garbage piles, street
 * vending and 6 more categories captured automatically and opened as cases", shared/domain.md).
 *
 * The video-AI system is not a device: it holds its own broker account and publishes on the
 * camera's events topic, `citytwin/v1/terminals/{cameraTerminalId}/events`, with
 *
 *   { "v": 1, "ts": <ms>, "event": "video-ai", "eventId": "<its own id>", "category": "<category>",
 *     "confidence": 0..1, "bbox"?: [x, y, w, h] (fractions of the frame), "snapshot"?: "<reference>" }
 *
 * Each category carries its event code in the GB/T 30428 / CJ/T 214 layout (2-digit major event
 * class + 2-digit minor class: 01 city appearance, 02 advertising, 03 construction management,
 * 05 street order), so a case opened from the alarm is classified the way the national workflow
 * expects. A city whose local edition numbers a minor class differently remaps it here.
 */
import type { LocalizedName } from './citySource';

export const VIDEO_EVENT_CATEGORIES = [
  'garbage-pile',
  'exposed-garbage',
  'street-vending',
  'business-outside-shop',
  'illegal-parking',
  'illegal-advertising',
  'construction-without-enclosure',
  'road-occupation-stacking',
] as const;
export type VideoEventCategory = (typeof VIDEO_EVENT_CATEGORIES)[number];

export interface VideoEventCategoryInfo {
  /** Event code: major class (2 digits) + minor class (2 digits). */
  eventCode: string;
  /** Major event class: 01 city appearance, 02 advertising, 03 construction, 05 street order. */
  majorClass: '01' | '02' | '03' | '05';
  name: LocalizedName;
  /** Below this confidence a detection is logged by the video system but raises no alarm here. */
  minConfidence: number;
}

export const VIDEO_EVENT_INFO: Record<VideoEventCategory, VideoEventCategoryInfo> = {
  'garbage-pile': { eventCode: '0103', majorClass: '01', name: { 'zh-CN': '积存垃圾渣土', en: 'Garbage or muck pile' }, minConfidence: 0.6 },
  'exposed-garbage': { eventCode: '0102', majorClass: '01', name: { 'zh-CN': '暴露垃圾（垃圾桶满溢）', en: 'Exposed garbage, overflowing bin' }, minConfidence: 0.6 },
  'street-vending': { eventCode: '0501', majorClass: '05', name: { 'zh-CN': '无照经营游商', en: 'Unlicensed street vending' }, minConfidence: 0.7 },
  'business-outside-shop': { eventCode: '0504', majorClass: '05', name: { 'zh-CN': '店外经营（占道经营）', en: 'Business spilling onto the road' }, minConfidence: 0.7 },
  'illegal-parking': { eventCode: '0505', majorClass: '05', name: { 'zh-CN': '机动车乱停放', en: 'Illegal parking' }, minConfidence: 0.7 },
  'illegal-advertising': { eventCode: '0201', majorClass: '02', name: { 'zh-CN': '违规广告（非法小广告）', en: 'Illegal advertising' }, minConfidence: 0.6 },
  'construction-without-enclosure': {
    eventCode: '0304',
    majorClass: '03',
    name: { 'zh-CN': '施工未围挡', en: 'Construction without enclosure' },
    minConfidence: 0.6,
  },
  'road-occupation-stacking': { eventCode: '0508', majorClass: '05', name: { 'zh-CN': '占道堆物', en: 'Goods stacked on the road' }, minConfidence: 0.6 },
};

/**
 * How long one alarm stands for repeated detections of a category at one camera: the video system
 * re-detects a pile every few minutes, and each sighting within this window keeps the same alarm
 * (and so the same case) instead of opening a new one.
 */
export const VIDEO_ALARM_HOLD_MS = 30 * 60_000;
