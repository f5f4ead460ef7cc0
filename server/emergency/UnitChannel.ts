/**
 * The MQTT side of emergency command: the server's connection that publishes dispatch orders on
 * each unit's orders topic (QoS 1) and hears every unit's position and status reports
 * (domain/emergency.ts). Payloads are checked against their schemas; a report from an id that is
 * not one of the twin's units, or one that does not parse, is dropped and counted.
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { Compile } from 'typebox/compile';
import {
  parseUnitTopic,
  UNIT_SUBSCRIPTIONS,
  UnitPositionSchema,
  UnitStatusSchema,
  unitTopic,
  type UnitOrder,
  type UnitPosition,
  type UnitStatusReport,
} from '../../domain/emergency';

const positionValidator = Compile(UnitPositionSchema);
const statusValidator = Compile(UnitStatusSchema);

export interface UnitChannelOptions {
  url: string;
  username?: string;
  password?: string;
  instanceId: string;
  isUnit(id: string): boolean;
  onPosition(unitId: string, position: UnitPosition): void;
  onStatus(unitId: string, report: UnitStatusReport): void;
  log: { warn(obj: object, msg: string): void };
}

export class UnitChannel {
  private client: MqttClient | undefined;
  private closed = false;
  /** Reports dropped: unknown unit, bad JSON or a payload off its schema. */
  dropped = 0;

  constructor(private readonly opts: UnitChannelOptions) {}

  async connect(): Promise<void> {
    const { opts } = this;
    const client = await mqtt.connectAsync(opts.url, {
      clientId: `citytwin-emergency-${opts.instanceId}-${randomUUID().slice(0, 8)}`,
      clean: true,
      username: opts.username,
      password: opts.password,
      reconnectPeriod: 1000,
      connectTimeout: 30_000,
    });
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => {
      if (!this.closed) opts.log.warn({ err: err.message }, 'emergency MQTT client error');
    });
    await client.subscribeAsync(UNIT_SUBSCRIPTIONS, { qos: 1 });
    this.client = client;
  }

  async sendOrder(unitId: string, order: UnitOrder): Promise<void> {
    if (!this.client) throw new Error('the emergency MQTT client is not connected');
    await this.client.publishAsync(unitTopic(unitId, 'orders'), JSON.stringify(order), { qos: 1 });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseUnitTopic(topic);
    if (!parsed || !this.opts.isUnit(parsed.unitId)) return void (this.dropped += 1);
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch {
      return void (this.dropped += 1);
    }
    if (parsed.kind === 'position' && positionValidator.Check(value)) return this.opts.onPosition(parsed.unitId, value);
    if (parsed.kind === 'status' && statusValidator.Check(value)) return this.opts.onStatus(parsed.unitId, value);
    this.dropped += 1;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.endAsync(true);
  }
}
