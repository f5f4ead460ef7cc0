/**
 * Checks a camera record (`TerminalProps.camera`, `TerminalRecord.camera`) read from a file a
 * city supplied. Pure: returns the typed record or a message naming the field and what is
 * wrong, and each reader turns that into its own refusal (a rejected feature in the city
 * source, an invalid twin package on the server).
 */
import { STREAM_PROTOCOLS, type CameraInfo, type CameraPose, type CameraStream, type StreamProtocol } from './cameras';

/** A camera has a handful of endpoints (main and sub stream per protocol); more is a data error. */
export const MAX_CAMERA_STREAMS = 8;
const MAX_URL_LENGTH = 2048;

interface Range {
  min: number;
  max: number;
  /** The bound is open: min < v (resp. v < max). */
  openMin?: boolean;
  openMax?: boolean;
}

const POSE_RANGES: Record<keyof CameraPose, Range> = {
  lon: { min: -180, max: 180 },
  lat: { min: -90, max: 90 },
  heightM: { min: 0, max: 1000 },
  headingDeg: { min: 0, max: 360, openMax: true },
  pitchDeg: { min: -90, max: 90 },
  hfovDeg: { min: 0, max: 180, openMin: true, openMax: true },
  aspect: { min: 0.1, max: 10 },
  rangeM: { min: 0, max: 10_000, openMin: true },
};

export class CameraRecordProblem extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function inRange(v: unknown, r: Range): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  return (r.openMin ? v > r.min : v >= r.min) && (r.openMax ? v < r.max : v <= r.max);
}

function checkPose(raw: unknown): CameraPose {
  if (!isObject(raw)) throw new CameraRecordProblem(`camera.pose must be an object, got ${show(raw)}`);
  const pose = {} as CameraPose;
  for (const key of Object.keys(POSE_RANGES) as Array<keyof CameraPose>) {
    const r = POSE_RANGES[key];
    const v = raw[key];
    if (!inRange(v, r)) {
      throw new CameraRecordProblem(
        `camera.pose.${key} must be a number ${r.openMin ? '>' : '≥'} ${r.min} and ${r.openMax ? '<' : '≤'} ${r.max}, got ${show(v)}`,
      );
    }
    pose[key] = v;
  }
  return pose;
}

function checkStream(raw: unknown, i: number): CameraStream {
  const where = `camera.streams[${i}]`;
  if (!isObject(raw)) throw new CameraRecordProblem(`${where} must be an object, got ${show(raw)}`);
  if (typeof raw.protocol !== 'string' || !(STREAM_PROTOCOLS as readonly string[]).includes(raw.protocol)) {
    throw new CameraRecordProblem(`${where}.protocol must be one of ${STREAM_PROTOCOLS.join(', ')}, got ${show(raw.protocol)}`);
  }
  const url = raw.url;
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH || !(/^https?:\/\/[^\s]+$/.test(url) || /^\/[^\s]*$/.test(url))) {
    throw new CameraRecordProblem(`${where}.url must be an http(s) URL or a path starting with "/", at most ${MAX_URL_LENGTH} characters, got ${show(url)}`);
  }
  return { protocol: raw.protocol as StreamProtocol, url };
}

/** The typed camera record, or throws CameraRecordProblem naming the field. */
export function parseCameraInfo(raw: unknown): CameraInfo {
  if (!isObject(raw)) throw new CameraRecordProblem(`camera must be an object, got ${show(raw)}`);
  const pose = checkPose(raw.pose);
  const streams = raw.streams ?? [];
  if (!Array.isArray(streams)) throw new CameraRecordProblem(`camera.streams must be an array, got ${show(streams)}`);
  if (streams.length > MAX_CAMERA_STREAMS) {
    throw new CameraRecordProblem(`camera.streams has ${streams.length} entries; at most ${MAX_CAMERA_STREAMS}`);
  }
  const embedded = raw.embedded ?? false;
  if (typeof embedded !== 'boolean') throw new CameraRecordProblem(`camera.embedded must be true or false, got ${show(embedded)}`);
  return { pose, streams: streams.map(checkStream), embedded };
}

/** Terminal types that carry a camera record. */
export const CAMERA_TERMINAL_TYPES = ['camera', 'traffic-camera'] as const;
export function isCameraType(type: string): type is (typeof CAMERA_TERMINAL_TYPES)[number] {
  return (CAMERA_TERMINAL_TYPES as readonly string[]).includes(type);
}
