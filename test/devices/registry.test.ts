/**
 * The device registry and the credentials: poles ranked along their road (from the road's centre
 * line, or from the poles' own alignment without one), sensors linked to the component they
 * watch, and device passwords that an operator can reproduce with openssl.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayPublish, maySubscribe, SERVICE_USERNAME, VIDEO_AI_USERNAME } from '../../domain/devices';
import type { ComponentRecord, PoleRecord, TerminalRecord } from '../../domain/twinPackage';
import { DeviceCredentials, DEVICE_SECRET_FILE, resolveDeviceSecret } from '../../server/devices/broker/credentials';
import { DeviceRegistry } from '../../server/devices/registry/DeviceRegistry';
import { orderPolesAlongRoads, type RoadLine } from '../../server/devices/registry/roadOrder';

const pole = (id: string, lon: number, lat: number, roadId = 'R1'): PoleRecord => ({
  id,
  code: `44190001180000${id.slice(1).padStart(2, '0')}`,
  lon,
  lat,
  groundHeight: 0,
  heightM: 10,
  roadId,
  terminalIds: [],
});

describe('orderPolesAlongRoads', () => {
  it('ranks poles by distance along an L-shaped road, both sides interleaved', () => {
    // East for ~200 m, then north: a pole on the north leg is "after" every pole on the east leg
    // even though some east-leg poles are further east in longitude.
    const road: RoadLine = [[[113.6, 22.8], [113.602, 22.8], [113.602, 22.802]]];
    const poles = [
      pole('A', 113.6021, 22.8015), // north leg, far along
      pole('B', 113.6005, 22.80003), // east leg, north side
      pole('C', 113.601, 22.79997), // east leg, south side
      pole('D', 113.6019, 22.8005), // north leg, west side
      pole('E', 113.6001, 22.79998),
    ];
    const order = orderPolesAlongRoads(poles, new Map([['R1', road]]));
    expect(order.get('R1')).toEqual(['E', 'B', 'C', 'D', 'A']);
  });

  it('without road geometry, ranks along the poles’ principal axis', () => {
    const poles = [pole('P3', 113.6006, 22.8006), pole('P1', 113.6, 22.8), pole('P2', 113.6003, 22.8003), pole('Q1', 113.7, 22.9, 'R2')];
    const order = orderPolesAlongRoads(poles, new Map());
    const r1 = order.get('R1')!;
    // Either direction is a valid order; consecutiveness is what matters.
    expect(r1[1]).toBe('P2');
    expect([r1[0], r1[2]].sort()).toEqual(['P1', 'P3']);
    expect(order.get('R2')).toEqual(['Q1']);
  });
});

describe('DeviceRegistry', () => {
  it('links terminals to poles, road ranks and the component each watches', () => {
    const poles = [pole('P1', 113.6, 22.8), pole('P2', 113.6003, 22.8)];
    const terminals: TerminalRecord[] = [
      { id: 'P1-lamp', poleId: 'P1', type: 'lamp', model: 'x' },
      { id: 'P1-cover-sensor', poleId: 'P1', type: 'cover-sensor', model: 'x' },
      { id: 'P2-water-level', poleId: 'P2', type: 'water-level', model: 'x' },
      { id: 'P2-cover-sensor', poleId: 'P2', type: 'cover-sensor', model: 'x' },
    ];
    const cover = (code: string, classCode: string, lon: number, lat: number): ComponentRecord => ({ code, classCode, lon, lat, groundHeight: 0, ownerId: 'o' });
    const components = [
      cover('4419000101000001', '0101', 113.60005, 22.8), // ~5 m from P1
      cover('4419000103000001', '0103', 113.6001, 22.8), // ~10 m from P1, ~20 m from P2
      cover('4419000114000001', '0114', 113.6003, 22.80001), // a hydrant right at P2: not a cover
      cover('4419000102000009', '0102', 113.61, 22.8), // far from both
    ];
    const registry = new DeviceRegistry({ poles, terminals, components, roads: new Map() });
    expect(registry.get('P1-lamp')).toMatchObject({ poleId: 'P1', componentCode: poles[0]!.code, roadId: 'R1', lon: 113.6, lat: 22.8 });
    expect(registry.get('P1-cover-sensor')?.componentCode).toBe('4419000101000001');
    expect(registry.get('P2-cover-sensor')?.componentCode).toBe('4419000103000001');
    // Water level: the storm-water cover, even though another cover is nearer to P1.
    expect(registry.get('P2-water-level')?.componentCode).toBe('4419000103000001');
    expect(new Set([registry.get('P1-lamp')!.roadRank, registry.get('P2-water-level')!.roadRank])).toEqual(new Set([0, 1]));
  });
});

describe('device credentials', () => {
  const secret = '0123456789abcdef-test-secret';
  const creds = new DeviceCredentials(secret);

  it('derive the password an operator computes with openssl', () => {
    expect(creds.device('P00001-lamp')).toEqual({
      username: 'P00001-lamp',
      password: 'f53f44183d1b88a4fd1aaf0540cb85666d6ee893bc6708b865776fc24ea19863',
    });
    let fromOpenssl: string;
    try {
      fromOpenssl = execFileSync('sh', ['-c', `printf 'device:%s' P00002-camera | openssl dgst -sha256 -hmac '${secret}' -r | cut -c1-64`])
        .toString()
        .trim();
    } catch {
      return; // openssl missing: the fixed answer above still pins the derivation.
    }
    expect(creds.device('P00002-camera').password).toBe(fromOpenssl);
  });

  it('authenticate devices and accounts, and nobody else', () => {
    const isTerminal = (id: string) => id === 'P00001-lamp';
    const lamp = creds.device('P00001-lamp');
    expect(creds.authenticate(lamp.username, Buffer.from(lamp.password), isTerminal)).toEqual({ role: 'device', terminalId: 'P00001-lamp' });
    expect(creds.authenticate(lamp.username, Buffer.from(lamp.password.replace(/.$/, '0')), isTerminal)).toBeUndefined();
    // A valid password for a terminal the twin does not have.
    const ghost = creds.device('P99999-lamp');
    expect(creds.authenticate(ghost.username, Buffer.from(ghost.password), isTerminal)).toBeUndefined();
    expect(creds.authenticate(undefined, undefined, isTerminal)).toBeUndefined();
    const service = creds.account(SERVICE_USERNAME);
    expect(creds.authenticate(SERVICE_USERNAME, Buffer.from(service.password), isTerminal)).toEqual({ role: 'service', username: SERVICE_USERNAME });
    // The device password does not open the service account.
    expect(creds.authenticate(SERVICE_USERNAME, Buffer.from(lamp.password), isTerminal)).toBeUndefined();
    const videoAi = creds.account(VIDEO_AI_USERNAME);
    expect(creds.authenticate(VIDEO_AI_USERNAME, Buffer.from(videoAi.password), isTerminal)).toEqual({ role: 'video-ai' });
  });

  it('keep a generated secret in the state folder (mode 0600) and reuse it; the environment wins', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citytwin-secret-'));
    try {
      const first = resolveDeviceSecret(dir, {});
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(path.join(dir, DEVICE_SECRET_FILE)).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(dir, DEVICE_SECRET_FILE), 'utf8').trim()).toBe(first);
      expect(resolveDeviceSecret(dir, {})).toBe(first);
      expect(resolveDeviceSecret(dir, { CITYTWIN_DEVICE_SECRET: secret })).toBe(secret);
      expect(() => resolveDeviceSecret(dir, { CITYTWIN_DEVICE_SECRET: 'short' })).toThrow(/at least 16 characters/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('access rules', () => {
  const typeOf = (id: string) => (id.endsWith('-camera') ? ('camera' as const) : id.endsWith('-lamp') ? ('lamp' as const) : undefined);
  const device = { role: 'device' as const, terminalId: 'P00001-lamp' };

  it('let a device publish its own topics and subscribe to its own command topic only', () => {
    expect(mayPublish(device, 'citytwin/v1/terminals/P00001-lamp/telemetry', typeOf)).toBe(true);
    expect(mayPublish(device, 'citytwin/v1/terminals/P00001-lamp/events', typeOf)).toBe(true);
    expect(mayPublish(device, 'citytwin/v1/terminals/P00002-lamp/telemetry', typeOf)).toBe(false);
    expect(mayPublish(device, 'citytwin/v1/terminals/P00001-lamp/commands', typeOf)).toBe(false);
    expect(mayPublish(device, 'other/topic', typeOf)).toBe(false);
    expect(maySubscribe(device, 'citytwin/v1/terminals/P00001-lamp/commands')).toBe(true);
    expect(maySubscribe(device, 'citytwin/v1/terminals/+/commands')).toBe(false);
    expect(maySubscribe(device, '#')).toBe(false);
  });

  it('let the video-AI system publish events on cameras only; the service account is unrestricted', () => {
    const videoAi = { role: 'video-ai' as const };
    expect(mayPublish(videoAi, 'citytwin/v1/terminals/P00001-camera/events', typeOf)).toBe(true);
    expect(mayPublish(videoAi, 'citytwin/v1/terminals/P00001-camera/status', typeOf)).toBe(false);
    expect(mayPublish(videoAi, 'citytwin/v1/terminals/P00001-lamp/events', typeOf)).toBe(false);
    expect(maySubscribe(videoAi, 'citytwin/v1/terminals/+/events')).toBe(false);
    const service = { role: 'service' as const, username: SERVICE_USERNAME };
    expect(maySubscribe(service, 'citytwin/v1/terminals/+/telemetry')).toBe(true);
    expect(maySubscribe(service, '#')).toBe(true);
    expect(mayPublish(service, 'baseline/v1/terminals/x/telemetry', typeOf)).toBe(true);
  });
});
