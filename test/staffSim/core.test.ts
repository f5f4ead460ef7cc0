/**
 * The simulated staff's pure core: the delay distributions come out as documented (most on time,
 * some late), each status gets the step a real centre takes next by the role allowed to take it,
 * the exception paths happen at their shares and only once, a handled case repairs what its alarms
 * name, and the staff run by default on the demo city only.
 */
import { describe, expect, it } from 'vitest';
import { CASE_ACTION_RULES } from '../../domain/cases/actions';
import type { Case } from '../../domain/cases/case';
import { DEMO_GENERATOR_NAME } from '../../domain/citySource';
import { DEFAULT_BEHAVIOUR, RATING_WEIGHTS, STEP_SPREADS, behaviourOf, logNormal, rating, uniform } from '../../server/staffSim/core/behaviour';
import { dispatchTarget, fixWorks, planFor, type DecideContext } from '../../server/staffSim/core/decide';
import { repairTargets } from '../../server/staffSim/core/repairs';
import { isDemoTwin, resolveStaffSim } from '../../server/staffSim/enabled';
import { SimClock } from '../../server/staffSim/SimClock';
import { caseFlow } from '../../server/staffSim/caseFlow';
import { dailyRanges, growth } from '../../server/staffSim/steadyState';
import { makeCase } from '../cases/caseFactory';

const T0 = Date.UTC(2026, 11, 7, 2, 0); // a Monday, 10:00 in China
const MIN = 60_000;
const ctx: DecideContext = { seed: 1, departmentIds: new Set(['sanitation', 'street-lighting', 'urban-management', 'traffic-police']), extensionAsked: () => false };

/** A video-AI garbage case reported at T0 (the cases' own factory, moved to this test's clock). */
function aCase(over: Partial<Case> = {}): Case {
  return makeCase({
    id: 'C00000001',
    categoryId: 'exposed-garbage',
    source: 'video-ai',
    description: 'x',
    lon: 113.7,
    lat: 22.83,
    suggestedDepartmentId: 'sanitation',
    createdAt: T0,
    updatedAt: T0,
    stepStartedAt: T0,
    ...over,
  });
}

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(8, '0')}`);

describe('delay distributions', () => {
  it('draws are fixed by their key and spread evenly', () => {
    expect(uniform(1, 'C1', 'x')).toBe(uniform(1, 'C1', 'x'));
    expect(uniform(1, 'C1', 'x')).not.toBe(uniform(2, 'C1', 'x'));
    const us = ids(4000).map((id) => uniform(1, id, 'u'));
    const deciles = new Array(10).fill(0);
    for (const u of us) deciles[Math.floor(u * 10)] += 1;
    for (const d of deciles) expect(d).toBeGreaterThan(320); // 400 expected in each tenth
  });

  it('a log-normal share has its median, and the default handling share is late about 7 % of the time', () => {
    const draws = ids(6000).map((id) => logNormal(DEFAULT_BEHAVIOUR.handle, 1, id, 'handle')).sort((a, b) => a - b);
    expect(draws[3000]!).toBeGreaterThan(0.45 * 0.93);
    expect(draws[3000]!).toBeLessThan(0.45 * 1.07);
    const late = draws.filter((d) => d > 1).length / draws.length;
    // P(Z > ln(1/0.45)/0.55) = 7.3 %.
    expect(late).toBeGreaterThan(0.05);
    expect(late).toBeLessThan(0.1);
  });

  it('hazards are handled faster and more reliably than the default', () => {
    expect(behaviourOf('cover-missing').handle.median).toBeLessThan(DEFAULT_BEHAVIOUR.handle.median);
    expect(behaviourOf('cover-missing').reopenShare).toBeLessThan(DEFAULT_BEHAVIOUR.reopenShare);
    expect(behaviourOf('dirty-road')).toEqual(DEFAULT_BEHAVIOUR);
  });

  it('ratings follow their weights, mostly satisfied', () => {
    const counts = [0, 0, 0, 0, 0];
    for (const id of ids(5000)) counts[rating(1, id, 'r') - 1]! += 1;
    RATING_WEIGHTS.forEach((w, i) => expect(Math.abs(counts[i]! / 5000 - w)).toBeLessThan(0.025));
  });
});

describe('what the staff do next', () => {
  it('each status gets its next step, by a role the workflow allows for it', () => {
    const steps: Array<[Partial<Case>, string, string]> = [
      [{ status: 'reported' }, 'register', 'dispatcher'],
      [{ status: 'registered', dueAt: T0 + 30 * MIN }, 'dispatch', 'dispatcher'],
      [{ status: 'dispatched', departmentId: 'sanitation', dispatchedAt: T0, returnCount: 1 }, 'accept', 'handler'],
      [{ status: 'handling', departmentId: 'sanitation', dispatchedAt: T0 }, 'feedback', 'handler'],
      [{ status: 'handled', dueAt: T0 + 60 * MIN, reopenCount: 1 }, 'close', 'inspector'],
      [{ status: 'closed', closedAt: T0 }, 'evaluate', 'dispatcher'],
    ];
    for (const [over, action, role] of steps) {
      const plan = planFor(aCase(over), ctx)!;
      expect(plan.request.action).toBe(action);
      expect(plan.role).toBe(role);
      expect(CASE_ACTION_RULES[plan.request.action].roles).toContain(plan.role);
      expect(CASE_ACTION_RULES[plan.request.action].from).toContain(over.status);
      expect(plan.at).toBeGreaterThan(T0);
    }
    for (const status of ['suspended', 'evaluated', 'cancelled'] as const) expect(planFor(aCase({ status }), ctx)).toBeUndefined();
  });

  it('dispatch goes to the suggested department, else the category hint the twin has', () => {
    expect(planFor(aCase({ status: 'registered', dueAt: T0 + 30 * MIN }), ctx)!.request.departmentId).toBe('sanitation');
    expect(dispatchTarget({ categoryId: 'lamp-out', suggestedDepartmentId: undefined }, ctx.departmentIds)).toBe('street-lighting');
    expect(dispatchTarget({ categoryId: 'lamp-out', suggestedDepartmentId: 'gone' }, ctx.departmentIds)).toBe('street-lighting');
  });

  it('dispatch lands within the 30-minute limit nearly always; handling is on time for most cases and late for some', () => {
    const cases = ids(3000);
    const dispatchLate = cases.filter((id) => planFor(aCase({ id, status: 'registered', dueAt: T0 + 30 * MIN }), ctx)!.at > T0 + 30 * MIN).length;
    expect(dispatchLate / cases.length).toBeLessThan(0.05);
    // exposed-garbage, normal: 4 h to handle.
    const handled = cases.map((id) => planFor(aCase({ id, status: 'handling', departmentId: 'sanitation', dispatchedAt: T0 }), ctx)!);
    const feedbacks = handled.filter((p) => p.request.action === 'feedback');
    const late = feedbacks.filter((p) => p.at > T0 + 4 * 60 * MIN).length / feedbacks.length;
    expect(late).toBeGreaterThan(0.03);
    expect(late).toBeLessThan(0.15);
  });

  it("crews work every day: a Friday case with a one-working-day limit is handled over the weekend, on time against Monday's deadline", () => {
    const friday = T0 + 4 * 86_400_000; // Friday 10:00 in China
    const monday = T0 + 7 * 86_400_000; // its deadline: one working day later
    const handled = ids(2000).map((id) => planFor(aCase({ id, categoryId: 'garbage-pile', status: 'handling', departmentId: 'sanitation', dispatchedAt: friday }), ctx)!);
    const feedbacks = handled.filter((p) => p.request.action === 'feedback').map((p) => p.at).sort((a, b) => a - b);
    // Median 0.45 of 24 h after dispatch, not 0.45 of the 72 calendar hours to Monday.
    const median = feedbacks[Math.floor(feedbacks.length / 2)]!;
    expect((median - friday) / 3_600_000).toBeGreaterThan(9);
    expect((median - friday) / 3_600_000).toBeLessThan(13);
    expect(feedbacks.filter((at) => at > monday).length / feedbacks.length).toBeLessThan(0.01);
  });

  it('returns, extensions and reopens happen at their shares, the first time only', () => {
    const cases = ids(4000);
    const share = (pred: (id: string) => boolean): number => cases.filter(pred).length / cases.length;
    const returned = share((id) => planFor(aCase({ id, status: 'dispatched', departmentId: 'sanitation', dispatchedAt: T0 }), ctx)!.request.action === 'return');
    expect(Math.abs(returned - DEFAULT_BEHAVIOUR.returnShare)).toBeLessThan(0.012);
    expect(share((id) => planFor(aCase({ id, status: 'dispatched', departmentId: 'sanitation', dispatchedAt: T0, returnCount: 1 }), ctx)!.request.action === 'return')).toBe(0);

    const extended = share((id) => planFor(aCase({ id, status: 'handling', departmentId: 'sanitation', dispatchedAt: T0 }), ctx)!.request.action === 'request-extension');
    expect(Math.abs(extended - DEFAULT_BEHAVIOUR.extensionShare)).toBeLessThan(0.015);
    // Once asked, the handler goes on to report it handled.
    const asked: DecideContext = { ...ctx, extensionAsked: () => true };
    expect(share((id) => planFor(aCase({ id, status: 'handling', departmentId: 'sanitation', dispatchedAt: T0 }), asked)!.request.action === 'request-extension')).toBe(0);

    const reopened = share((id) => planFor(aCase({ id, status: 'handled', dueAt: T0 + 60 * MIN }), ctx)!.request.action === 'reopen');
    expect(Math.abs(reopened - DEFAULT_BEHAVIOUR.reopenShare)).toBeLessThan(0.012);
    expect(share((id) => planFor(aCase({ id, status: 'handled', dueAt: T0 + 60 * MIN, reopenCount: 1 }), ctx)!.request.action === 'reopen')).toBe(0);
  });

  it('the handler knows whether the fix holds: a fix that will be reopened repairs nothing', () => {
    for (const id of ids(500)) {
      const feedback = planFor(aCase({ id, status: 'handling', departmentId: 'sanitation', dispatchedAt: T0 }), { ...ctx, extensionAsked: () => true })!;
      const verify = planFor(aCase({ id, status: 'handled', dueAt: T0 + 60 * MIN }), ctx)!;
      expect(feedback.repairs).toBe(fixWorks({ id, categoryId: 'exposed-garbage', reopenCount: 0 }, 1));
      expect(verify.request.action === 'close').toBe(feedback.repairs);
    }
  });

  it('an extension request is decided by the dispatcher after it was made, mostly approved', () => {
    const decided = ids(2000).map(
      (id) => planFor(aCase({ id, status: 'handling', departmentId: 'sanitation', dispatchedAt: T0, extensionRequest: { minutes: 120, note: 'n', requestedAt: T0 + 60 * MIN, requestedBy: 'x' } }), ctx)!,
    );
    for (const p of decided) {
      expect(p.role).toBe('dispatcher');
      expect(p.at).toBeGreaterThan(T0 + 60 * MIN);
    }
    const approved = decided.filter((p) => p.request.action === 'approve-extension').length / decided.length;
    expect(approved).toBeGreaterThan(0.75);
    expect(approved).toBeLessThan(0.85);
  });

  it('citizen reports are sometimes cancelled as invalid, alarms never', () => {
    const cancelled = (source: Case['source']): number => ids(3000).filter((id) => planFor(aCase({ id, source }), ctx)!.request.action === 'cancel').length;
    expect(cancelled('video-ai')).toBe(0);
    expect(cancelled('citizen')).toBeGreaterThan(90);
    expect(cancelled('citizen')).toBeLessThan(210);
  });

  it('registration comes a few minutes after the report', () => {
    const at = ids(1000).map((id) => planFor(aCase({ id }), ctx)!.at - T0).sort((a, b) => a - b);
    expect(at[500]! / MIN).toBeCloseTo(STEP_SPREADS.registerMin.median, 0);
  });
});

describe('repairs', () => {
  it('a case repairs what its alarms name', () => {
    expect(repairTargets({ terminalId: 'P1-lamp' }, [{ alarmId: 'P1-lamp:lamp-fault@1' }, { alarmId: 'P2-lamp:lamp-fault@2' }])).toEqual({
      terminalIds: ['P1-lamp', 'P2-lamp'],
      circuits: false,
      video: [],
    });
    expect(repairTargets({ terminalId: 'P5-lamp' }, [{ alarmId: 'road:R7:lamps-out@9' }])).toEqual({ terminalIds: ['P5-lamp'], circuits: true, video: [] });
    expect(repairTargets({ terminalId: 'P3-camera' }, [{ alarmId: 'P3-camera:video-ai:garbage-pile@5' }, {}])).toEqual({
      terminalIds: [],
      circuits: false,
      video: [{ cameraId: 'P3-camera', category: 'garbage-pile' }],
    });
    expect(repairTargets({}, [{ alarmId: 'not a key' }])).toEqual({ terminalIds: [], circuits: false, video: [] });
  });
});

describe('when the staff run', () => {
  const demo = { generator: { name: DEMO_GENERATOR_NAME, version: 1, seed: 42 } };
  const real = { generator: undefined };
  it('by default on the demo city with the simulator only; a real city only when asked by name', () => {
    expect(isDemoTwin(demo)).toBe(true);
    expect(isDemoTwin(real)).toBe(false);
    expect(isDemoTwin({ generator: { name: 'someone-else', version: 1, seed: 1 } })).toBe(false);
    expect(resolveStaffSim('auto', demo, true)).toEqual({ on: true });
    expect(resolveStaffSim('auto', demo, false)).toEqual({ on: false });
    expect(resolveStaffSim('auto', real, true)).toEqual({ on: false });
    expect(resolveStaffSim('auto', demo, true, true)).toEqual({ on: false });
    expect(resolveStaffSim('on', demo, true, true)).toEqual({ on: true });
    expect(resolveStaffSim('off', demo, true)).toEqual({ on: false });
    expect(resolveStaffSim('on', real, true)).toEqual({ on: true });
    expect(resolveStaffSim('on', demo, false)).toMatchObject({ refused: expect.stringContaining('--no-simulator') });
  });
});

describe('simulated clock and steady state', () => {
  it('runs speed-up times faster and never starts before the newest case', () => {
    let wall = 1000;
    const clock = new SimClock(60, 0, wall, () => wall);
    wall += 1000;
    expect(clock.now()).toBe(1000 + 60_000);
    expect(clock.wallMs(60_000)).toBe(1000);
    expect(new SimClock(60, 5000, 1000, () => 1000).now()).toBe(5000);
    expect(() => new SimClock(0, 0)).toThrow(RangeError);
  });

  it('judges a flat series bounded and a growing one not', () => {
    const days = Array.from({ length: 40 }, (_, i) => i / 5);
    const flat = growth(days.map((d) => ({ simDay: d, value: 100 + (d < 1 ? d * 100 : 0) + Math.sin(d * 7) * 5 })));
    expect(flat.bounded).toBe(true);
    expect(Math.abs(flat.perDay)).toBeLessThan(5);
    const rising = growth(days.map((d) => ({ simDay: d, value: 50 + 40 * d })));
    expect(rising.bounded).toBe(false);
    expect(rising.perDay).toBeCloseTo(40, 5);
  });

  it('judges each simulated day by its low and high', () => {
    // Open cases rise through each day and drain by its end: flat day to day.
    const samples = Array.from({ length: 48 }, (_, i) => ({ simDay: i / 8, value: 100 + 20 * Math.sin((i / 8) * 2 * Math.PI) }));
    const days = dailyRanges(samples);
    expect(days.map((d) => d.day)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const d of days) {
      expect(d.n).toBe(8);
      expect(d.min).toBeCloseTo(80, 0);
      expect(d.max).toBeCloseTo(120, 0);
      expect(d.mean).toBeCloseTo(100, 5);
    }
  });

  it("case flow: arrivals and closures per simulated day, where the open cases wait, Little's law", () => {
    const H = 3_600_000;
    // Four days, two cases a day, each closed 6 h after its report; the last two still open.
    const cases = ids(8).map((id, i) => {
      const createdAt = T0 + i * 12 * H;
      const open = i >= 6;
      return aCase({ id, createdAt, status: open ? (i === 6 ? 'handling' : 'reported') : 'closed', closedAt: open ? undefined : createdAt + 6 * H, source: i % 2 ? 'iot' : 'video-ai' });
    });
    const flow = caseFlow(cases, T0, T0 + 4 * 24 * H);
    expect(flow.days).toBe(4);
    expect(flow.arrivalsPerDay).toBe(2);
    expect(flow.closedPerDay).toBe(1.5);
    expect(flow.openByStatus).toEqual({ handling: 1, reported: 1 });
    const video = flow.bySource.find((l) => l.key === 'video-ai')!;
    expect(video).toMatchObject({ arrivalsPerDay: 1, closedPerDay: 0.75, open: 1, meanHoursToClose: 6 });
    // λ·W: one a day, a quarter of a day each.
    expect(video.littleLevel).toBeCloseTo(0.25, 9);
    // The cases' clock may be the wall clock of a world 100 times faster: days are shorter.
    expect(caseFlow(cases, T0, T0 + 4 * 24 * H, 24 * H * 2).days).toBe(2);
  });
});
