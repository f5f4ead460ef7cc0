/**
 * The energy API over a real history store: power readings of a finished day go through the
 * history recorder into SQLite, and `GET /api/energy/…` integrates them — per lamp, road, grid
 * cell and department, the saving against full rated power all night, coverage for a silent
 * lamp; roles as the KPI routes (the city-wide routes), public for one lamp; refusals by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnergyDays, LampEnergy } from '../../domain/energy';
import { addDays, lightingDay, lightingDayOf } from '../../server/energy/lightingDay';
import { startCaseApp, type CaseApp } from '../cases/caseApp';

let h: CaseApp;
let day: string;
let night: ReturnType<typeof lightingDay>;
const H = 3_600_000;

/** The night profile of a lamp: full power to 23:00 local, half to sunrise, standby by day. */
function profileW(ratedW: number, t: number, elevenPm: number): number {
  if (t < night.sunset || t >= night.sunrise) return 0.8;
  return t < elevenPm ? ratedW : ratedW / 2;
}

beforeAll(async () => {
  h = await startCaseApp({ history: { flushIntervalMs: 50 } });
  const place = { lat: h.twin.manifest.center.lat, lon: h.twin.manifest.center.lon };
  day = addDays(lightingDayOf(Date.now(), place), -1);
  night = lightingDay(day, place);
  const elevenPm = Date.parse(`${day}T23:00:00+08:00`);
  const recorder = h.app.historyRecorder!;
  const feed = (id: string, w: (t: number) => number) => {
    const state = h.app.live.terminal(id)!;
    for (let t = night.from; t < night.to; t += 30_000) recorder.messageAccepted(state, 'telemetry', { v: 1, ts: t, values: { powerW: w(t) } }, t);
  };
  // P00001 (rated 100 W) follows the profile; P00002 (110 W) stays off all day; P00003 is silent
  // from 01:00 local onwards (its controller lost power).
  feed('P00001-lamp', (t) => profileW(100, t, elevenPm));
  feed('P00002-lamp', () => 0);
  const oneAm = elevenPm + 2 * H;
  const p3 = h.app.live.terminal('P00003-lamp')!;
  for (let t = night.from; t < oneAm; t += 30_000) recorder.messageAccepted(p3, 'telemetry', { v: 1, ts: t, values: { powerW: profileW(120, t, elevenPm) } }, t);
  await recorder.flush();
});

afterAll(async () => h?.close());

/** Energy of the profile over [from, to), Wh: what the lamp drew. */
function profileWh(ratedW: number, from: number, to: number): number {
  const elevenPm = Date.parse(`${day}T23:00:00+08:00`);
  let wh = 0;
  for (let t = from; t < to; t += 1000) wh += profileW(ratedW, t, elevenPm) / 3600;
  return wh;
}

describe('GET /api/energy/lamps', () => {
  it('integrates each lamp over its day and measures the saving against full power all night', async () => {
    const token = await h.login('leader');
    const res = await h.call(token, { method: 'GET', url: `/api/energy/lamps?day=${day}&groupBy=lamp` });
    expect(res.status).toBe(200);
    const body = res.body as LampEnergy;
    expect(body).toMatchObject({ day, from: night.from, to: night.to, groupBy: 'lamp' });
    const lamp = (id: string) => body.groups.find((g) => g.key === id)!;
    const nightH = (night.sunrise - night.sunset) / H;

    // P00001: the whole profile, to the minute the rollups keep.
    const p1 = lamp('P00001-lamp');
    const wh1 = profileWh(100, night.from, night.to);
    expect(p1.kwh).toBeCloseTo(wh1 / 1000, 2);
    expect(p1.coverage).toBe(1);
    expect(p1.baselineKwh).toBeCloseTo((100 * nightH) / 1000, 2);
    expect(p1.savingPct!).toBeCloseTo(100 * (1 - wh1 / (100 * nightH)), 0);
    expect(p1.litHours).toBeCloseTo(nightH, 1);

    // P00002: off all night, a saving of 100 %.
    expect(lamp('P00002-lamp')).toMatchObject({ kwh: 0, savingPct: 100, coverage: 1, litHours: 0 });

    // P00003: silent from 01:00: what it reported counts, the silence is not guessed (coverage < 1),
    // and its saving is measured over the night hours its readings cover.
    const p3 = lamp('P00003-lamp');
    const oneAm = Date.parse(`${day}T23:00:00+08:00`) + 2 * H;
    const hold = 5 * 60_000;
    expect(p3.kwh).toBeCloseTo((profileWh(120, night.from, oneAm) + (60 * hold) / H) / 1000, 2);
    expect(p3.coverage).toBeCloseTo((oneAm + hold - night.from) / (night.to - night.from), 2);
    const covered = (oneAm + hold - night.sunset) / H;
    expect(p3.savingPct!).toBeCloseTo(100 * (1 - (p3.kwh * 1000) / (120 * covered)), 0);

    // Lamps without any reading count in the baseline but not in the saving.
    expect(lamp('P00004-lamp')).toMatchObject({ kwh: 0, coverage: 0, savingPct: null });
    expect(body.total.lamps).toBe(6);
    expect(body.total.kwh).toBeCloseTo(p1.kwh + p3.kwh, 2);
    expect(body.total.baselineKwh).toBeCloseTo(((100 + 110 + 120 + 130 + 140 + 150) * nightH) / 1000, 2);
    // Most energy first.
    expect(body.groups.map((g) => g.key).slice(0, 2)).toEqual(['P00001-lamp', 'P00003-lamp']);
  });

  it('groups by road, grid cell and department: one group each in the tiny twin, the city total', async () => {
    const token = await h.login('dispatcher');
    const total = (await h.call(token, { method: 'GET', url: `/api/energy/lamps?day=${day}&groupBy=lamp` })).body.total;
    for (const [groupBy, key] of [['road', 'R001'], ['grid', '44190000100101'], ['department', 'D-LIGHT']]) {
      const res = await h.call(token, { method: 'GET', url: `/api/energy/lamps?day=${day}&groupBy=${groupBy}` });
      expect(res.status).toBe(200);
      expect(res.body.groups).toEqual([{ key, ...total }]);
    }
  });

  it('is for the roles that read the KPIs: others 403, anonymous 401', async () => {
    for (const username of ['inspector', 'handler-d-light']) {
      expect((await h.call(await h.login(username), { method: 'GET', url: `/api/energy/lamps?day=${day}` })).status, username).toBe(403);
    }
    expect((await h.call(undefined, { method: 'GET', url: '/api/energy/days' })).status).toBe(401);
    expect((await h.call(await h.login('planner'), { method: 'GET', url: '/api/energy/days?days=2' })).status).toBe(200);
  });

  it('names what is wrong: a malformed day, a day not begun, a day older than the minute history', async () => {
    const token = await h.login('admin');
    const bad = await h.call(token, { method: 'GET', url: '/api/energy/lamps?day=2026-13-01' });
    expect(bad).toMatchObject({ status: 400, body: { message: expect.stringMatching(/querystring\/day must be a date YYYY-MM-DD/) } });
    const future = await h.call(token, { method: 'GET', url: `/api/energy/lamps?day=${addDays(day, 3)}` });
    expect(future).toMatchObject({ status: 400, body: { message: expect.stringMatching(/querystring\/day .* has not begun/) } });
    const old = await h.call(token, { method: 'GET', url: `/api/energy/days?to=${addDays(day, -200)}` });
    expect(old).toMatchObject({ status: 400, body: { message: expect.stringMatching(/querystring\/to .* is older than the minute history kept/) } });
    expect((await h.call(token, { method: 'GET', url: '/api/energy/lamps?groupBy=street' })).status).toBe(400);
  });
});

describe('GET /api/terminals/{id}/energy', () => {
  it("answers one lamp's days publicly, with its rated power; the figures agree with the city view", async () => {
    const res = await h.call(undefined, { method: 'GET', url: `/api/terminals/P00001-lamp/energy?to=${day}&days=3` });
    expect(res.status).toBe(200);
    const body = res.body as EnergyDays;
    expect(body).toMatchObject({ terminalId: 'P00001-lamp', ratedW: 100 });
    expect(body.days.map((d) => d.day)).toEqual([addDays(day, -2), addDays(day, -1), day]);
    const city = (await h.call(await h.login('leader'), { method: 'GET', url: `/api/energy/lamps?day=${day}` })).body as LampEnergy;
    const { day: _d, from: _f, to: _t, sunset: _s, sunrise: _r, ...figures } = body.days[2]!;
    expect(figures).toEqual({ ...city.groups.find((g) => g.key === 'P00001-lamp')!, lamps: 1, key: undefined });
    expect(body.days[0]).toMatchObject({ kwh: 0, coverage: 0 });
  });

  it('refuses a terminal that is not a lamp (404 naming the id)', async () => {
    const res = await h.call(undefined, { method: 'GET', url: '/api/terminals/P00001-camera/energy' });
    expect(res).toMatchObject({ status: 404, body: { message: expect.stringMatching(/^params\/id "P00001-camera": no lamp/) } });
  });
});
