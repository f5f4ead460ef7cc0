/**
 * The demo's emergency units (domain/emergency.ts): each crew of the twin's resources layer logs
 * in to the broker as itself, listens on its own orders topic and, given an order, reports
 * `en-route`, drives along the order's route — a position every `tickMs`, covering the route in
 * its ETA divided by `speedup` — reports `on-site` at the end, works there for `workS` simulated
 * seconds and reports `done`. A repeated order id (a redelivery) is ignored.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { distanceM } from '../../../kernel/geodesy';
import { unitTopic, type UnitOrder, type UnitPosition, type UnitStatusReport } from '../../../domain/emergency';

export interface UnitFleetOptions {
  url: string;
  unitIds: readonly string[];
  credentialFor(unitId: string): { username: string; password: string };
  /** Simulated seconds per real second. */
  speedup: number;
  /** Real ms between position reports; default 1000. */
  tickMs?: number;
  /** Simulated seconds on site before `done`; default 600. */
  workS?: number;
  /** Where each unit stands before its first order. */
  home(unitId: string): { lon: number; lat: number };
  onError(err: Error): void;
}

interface Drive {
  order: UnitOrder;
  /** Cumulative metres at each route vertex. */
  cum: number[];
  startedAt: number;
  timer: NodeJS.Timeout;
}

export class UnitFleet {
  private readonly clients = new Map<string, MqttClient>();
  private readonly drives = new Map<string, Drive>();
  private readonly seen = new Map<string, Set<string>>();
  private stopped = false;

  constructor(private readonly opts: UnitFleetOptions) {
    if (!(opts.speedup > 0)) throw new RangeError(`unit speedup must be > 0, got ${opts.speedup}`);
  }

  get unitCount(): number {
    return this.opts.unitIds.length;
  }

  async start(): Promise<void> {
    await Promise.all(
      this.opts.unitIds.map(async (id) => {
        const client = await mqtt.connectAsync(this.opts.url, { clientId: id, clean: true, reconnectPeriod: 2000, connectTimeout: 30_000, ...this.opts.credentialFor(id) });
        client.on('error', (err) => this.opts.onError(err));
        client.on('message', (_topic, payload) => this.onOrder(id, payload));
        await client.subscribeAsync(unitTopic(id, 'orders'), { qos: 1 });
        this.clients.set(id, client);
        const home = this.opts.home(id);
        this.publishPosition(id, home.lon, home.lat);
      }),
    );
  }

  private onOrder(unitId: string, payload: Buffer): void {
    let order: UnitOrder;
    try {
      order = JSON.parse(payload.toString('utf8')) as UnitOrder;
    } catch {
      return;
    }
    if (typeof order.id !== 'string' || !Array.isArray(order.route) || order.route.length < 2) return;
    let seen = this.seen.get(unitId);
    if (!seen) this.seen.set(unitId, (seen = new Set()));
    if (seen.has(order.id)) return;
    seen.add(order.id);
    const previous = this.drives.get(unitId);
    if (previous) clearInterval(previous.timer);
    const cum = [0];
    for (let i = 1; i < order.route.length; i++) {
      const [a, b] = [order.route[i - 1]!, order.route[i]!];
      cum.push(cum[i - 1]! + distanceM(a[0], a[1], b[0], b[1]));
    }
    this.publishStatus(unitId, order.id, 'en-route');
    const drive: Drive = { order, cum, startedAt: Date.now(), timer: setInterval(() => this.step(unitId), this.opts.tickMs ?? 1000) };
    drive.timer.unref();
    this.drives.set(unitId, drive);
  }

  private step(unitId: string): void {
    const drive = this.drives.get(unitId);
    if (!drive || this.stopped) return;
    const { order, cum } = drive;
    const elapsedS = ((Date.now() - drive.startedAt) / 1000) * this.opts.speedup;
    const total = cum[cum.length - 1]!;
    const along = order.etaS > 0 ? Math.min(1, elapsedS / order.etaS) * total : total;
    let i = 1;
    while (i < cum.length - 1 && cum[i]! < along) i++;
    const [a, b] = [order.route[i - 1]!, order.route[i]!];
    const span = cum[i]! - cum[i - 1]!;
    const t = span > 0 ? Math.min(1, (along - cum[i - 1]!) / span) : 1;
    this.publishPosition(unitId, a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t);
    if (along < total) return;
    clearInterval(drive.timer);
    this.drives.delete(unitId);
    this.publishStatus(unitId, order.id, 'on-site');
    const done = setTimeout(() => {
      if (!this.stopped) this.publishStatus(unitId, order.id, 'done');
    }, ((this.opts.workS ?? 600) * 1000) / this.opts.speedup);
    done.unref();
  }

  private publishPosition(unitId: string, lon: number, lat: number): void {
    const p: UnitPosition = { v: 1, ts: Date.now(), lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7 };
    this.clients.get(unitId)?.publish(unitTopic(unitId, 'position'), JSON.stringify(p), { qos: 0 });
  }

  private publishStatus(unitId: string, orderId: string, status: UnitStatusReport['status']): void {
    const s: UnitStatusReport = { v: 1, ts: Date.now(), orderId, status };
    this.clients.get(unitId)?.publish(unitTopic(unitId, 'status'), JSON.stringify(s), { qos: 1 });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const d of this.drives.values()) clearInterval(d.timer);
    await Promise.all([...this.clients.values()].map((c) => c.endAsync(true).catch(() => undefined)));
  }
}
