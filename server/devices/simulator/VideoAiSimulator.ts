/**
 * Plays the outside video-AI system: it watches the camera terminals' pictures and, now and then,
 * reports one of the eight urban-management categories on the camera's events topic, logged in
 * with its own account (domain/devices.ts VIDEO_AI_USERNAME), QoS 1.
 *
 * The rate is modest and follows the simulated clock: `eventsPerCameraHour` detections per camera
 * per simulated hour, spread with a Poisson process. A detection repeats at the same camera for a
 * while (a pile does not vanish between two frames), which exercises the alarm hold.
 *
 * In the staffed world (`persistent`, docs/staff-sim.md) a detection is a problem that stays: the
 * system sees it again every RESIGHT_SIM_MS of simulated time until `resolve` says a crew cleared
 * it (the simulated staff handled its case), or `maxMs` passed; its alarm then clears by the hold.
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
  /** Staffed world: detections persist until resolved, for at most `maxMs` real ms. */
  persistent?: { maxMs: number };
}

/** Staffed world: how often the video system sees a standing problem again (a third of the alarm hold). */
export const RESIGHT_SIM_MS = 10 * 60_000;

interface Problem {
  cameraId: string;
  category: VideoEventCategory;
  nextSightAt: number;
  until: number;
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
  /** Staffed world: standing problems by `${cameraId}|${category}`. */
  private readonly problems = new Map<string, Problem>();

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
    if (this.options.persistent) this.resight(now);
  }

  /** Standing problems in the staffed world. */
  get problemCount(): number {
    return this.problems.size;
  }

  /** A crew cleared the problem of `category` at `cameraId`; false when none stood there. */
  resolve(cameraId: string, category: string): boolean {
    return this.problems.delete(`${cameraId}|${category}`);
  }

  private resight(now: number): void {
    const everyMs = RESIGHT_SIM_MS / this.options.speedup;
    for (const [key, p] of this.problems) {
      if (now >= p.until) {
        this.problems.delete(key);
        continue;
      }
      if (now < p.nextSightAt) continue;
      // Jittered so that standing problems do not all report in one tick.
      p.nextSightAt = now + everyMs * (0.75 + 0.5 * this.options.random());
      this.publish(p.cameraId, p.category, now);
    }
  }

  private detect(now: number): void {
    const { random, cameraIds } = this.options;
    const repeat = this.last !== undefined && random() < REPEAT_CHANCE;
    const cameraId = repeat ? this.last!.cameraId : cameraIds[Math.floor(random() * cameraIds.length)]!;
    const category = repeat ? this.last!.category : VIDEO_EVENT_CATEGORIES[Math.floor(random() * VIDEO_EVENT_CATEGORIES.length)]!;
    this.last = { cameraId, category };
    const persistent = this.options.persistent;
    if (persistent) {
      const key = `${cameraId}|${category}`;
      // Seen again: the standing problem's next sighting comes as scheduled.
      if (this.problems.has(key)) return;
      this.problems.set(key, { cameraId, category, nextSightAt: now + RESIGHT_SIM_MS / this.options.speedup, until: now + persistent.maxMs });
    }
    this.publish(cameraId, category, now);
  }

  private publish(cameraId: string, category: VideoEventCategory, now: number): void {
    const { random } = this.options;
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
