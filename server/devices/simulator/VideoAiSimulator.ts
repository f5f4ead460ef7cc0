/**
 * Plays the outside video-AI system: it watches the camera terminals' pictures and, now and then,
 * reports one of the eight urban-management categories on the camera's events topic, logged in
 * with its own account (domain/devices.ts VIDEO_AI_USERNAME), QoS 1.
 *
 * The rate is modest and follows the simulated clock: `eventsPerCameraHour` detections per camera
 * per simulated hour, spread with a Poisson process. A detection repeats at the same camera for a
 * while (a pile does not vanish between two frames), which exercises the alarm hold.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { PAYLOAD_VERSION, type VideoAiEventPayload } from '../../../domain/payloads';
import { terminalTopic } from '../../../domain/topics';
import { VIDEO_EVENT_CATEGORIES, type VideoEventCategory } from '../../../domain/videoEvents';
import type { Credential } from '../broker/credentials';

export interface VideoAiSimulatorOptions {
  url: string;
  credential: Credential;
  cameraIds: readonly string[];
  speedup: number;
  /** Detections per camera per simulated hour; default 0.5. */
  eventsPerCameraHour?: number;
  random: () => number;
  onError?: (err: Error) => void;
}

/** Chance that a new detection repeats the previous one at the same camera. */
const REPEAT_CHANCE = 0.3;

export class VideoAiSimulator {
  private client: MqttClient | undefined;
  private readonly ratePerMs: number;
  private lastTick = 0;
  private carry = 0;
  private sent = 0;
  private last: { cameraId: string; category: VideoEventCategory } | undefined;

  constructor(private readonly options: VideoAiSimulatorOptions) {
    const perHour = options.eventsPerCameraHour ?? 0.5;
    if (!(perHour >= 0 && perHour <= 3600)) throw new RangeError(`video-AI eventsPerCameraHour must be in 0..3600, got ${perHour}`);
    this.ratePerMs = (perHour * options.cameraIds.length * options.speedup) / 3_600_000;
  }

  get eventsSent(): number {
    return this.sent;
  }

  async start(now: number): Promise<void> {
    if (this.options.cameraIds.length === 0) return;
    this.client = await mqtt.connectAsync(
      this.options.url,
      { clientId: `citytwin-video-ai-${process.pid}`, ...this.options.credential, clean: true, reconnectPeriod: 1000 },
      false,
    );
    this.client.on('error', (err) => this.options.onError?.(err));
    this.lastTick = now;
  }

  /** Publishes the detections due since the previous tick. */
  tick(now: number): void {
    if (!this.client) return;
    // Expected count since the last tick, with the fraction carried over: a steady long-run rate.
    this.carry += (now - this.lastTick) * this.ratePerMs;
    this.lastTick = now;
    while (this.carry >= 1) {
      this.carry -= 1;
      this.detect(now);
    }
  }

  private detect(now: number): void {
    const { random, cameraIds } = this.options;
    const repeat = this.last !== undefined && random() < REPEAT_CHANCE;
    const cameraId = repeat ? this.last!.cameraId : cameraIds[Math.floor(random() * cameraIds.length)]!;
    const category = repeat ? this.last!.category : VIDEO_EVENT_CATEGORIES[Math.floor(random() * VIDEO_EVENT_CATEGORIES.length)]!;
    this.last = { cameraId, category };
    this.sent += 1;
    const x = random() * 0.7;
    const y = random() * 0.7;
    const event: VideoAiEventPayload = {
      v: PAYLOAD_VERSION,
      ts: now,
      event: 'video-ai',
      eventId: `VA-${now.toString(36)}-${this.sent}`,
      category,
      // Mostly confident; about one in six below the category thresholds, and so only logged.
      confidence: Math.round((0.5 + 0.49 * random()) * 100) / 100,
      bbox: [round3(x), round3(y), round3(0.1 + random() * 0.2), round3(0.1 + random() * 0.2)],
      snapshot: `snapshots/${cameraId}/${now}.jpg`,
    };
    this.client!.publish(terminalTopic(cameraId, 'events'), JSON.stringify(event), { qos: 1 }, (err) => {
      if (err) this.options.onError?.(err);
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
