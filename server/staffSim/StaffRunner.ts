/**
 * Runs the simulated staff: looks at the open cases through the API as the dispatcher does, plans
 * each case's next step with the pure core (core/decide.ts), and when the simulated clock reaches
 * a plan, the actor whose role it needs carries it out through the real HTTP API with their own
 * login — so every rule (role, department, stage, note, rate limit) applies to them as to anyone,
 * and what they are refused they are refused. When a handler reports a case handled and the fix
 * holds, the crew fixes the simulated world (the device simulator's faults, lost covers, camera
 * problems) and the alarms clear by their own rules.
 *
 * Simulated citizens report now and then through the public report endpoint and rate the result
 * with their tracking code once the case closed.
 */
import type { CaseDetail, CaseListResponse, CaseActionResponse, PublicProgress, PublicReportResponse } from '../../domain/cases/api';
import type { Case } from '../../domain/cases/case';
import { CATEGORY_BY_ID } from '../../domain/cases/categories';
import type { PoleRecord } from '../../domain/twinPackage';
import { mulberry32 } from '../../kernel/random';
import type { StaffActor } from './actors';
import { CITIZEN_RATE_SHARE, STEP_SPREADS, chance, logNormal, rating } from './core/behaviour';
import { planFor, type Plan } from './core/decide';
import { repairTargets, type RepairTargets } from './core/repairs';
import type { SimClock } from './SimClock';

/** One HTTP request as a client makes it; `from` picks the client's address (staff desk or a citizen's phone). */
export type StaffHttp = (req: { method: 'GET' | 'POST'; url: string; token?: string; payload?: object; from: 'staff' | 'citizen' }) => Promise<{ status: number; body: unknown }>;

export interface StaffRunnerOptions {
  http: StaffHttp;
  clock: SimClock;
  seed: number;
  actors: readonly StaffActor[];
  passwords: ReadonlyMap<string, string>;
  departmentIds: ReadonlySet<string>;
  /** Where citizens report from. */
  poles: readonly Pick<PoleRecord, 'lon' | 'lat'>[];
  /** Citizen reports per pole per simulated day; default CITIZEN_REPORTS_PER_POLE_DAY. */
  citizenReportsPerPoleDay?: number;
  repair(targets: RepairTargets): number;
  log: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

export interface StaffStats {
  /** Actions the staff took, by action name. */
  actions: Record<string, number>;
  /** Requests the API refused (4xx), by status. */
  refused: Record<string, number>;
  repairs: number;
  citizenReports: number;
  citizenRatings: number;
}

/** The statuses the staff act on. */
const WORKED = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'closed'] as const;
/** Simulated time between two looks at the case list. */
const LIST_EVERY_SIM_MS = 5 * 60_000;
const MIN_LIST_WALL_MS = 1000;
const MAX_ACTIONS_PER_TICK = 100;
const PAGE = 500;
/** About one citizen report per hundred poles per simulated day. */
export const CITIZEN_REPORTS_PER_POLE_DAY = 0.01;
/** What citizens report (event cases they can see from the street). */
export const CITIZEN_CATEGORIES = ['dirty-road', 'illegal-parking', 'bike-parking', 'unauthorized-banner', 'construction-nuisance', 'exposed-garbage'] as const;
const MAX_TRACKED_CITIZENS = 2000;
const CITIZEN_GIVES_UP_SIM_MS = 14 * 86_400_000;

export class StaffRunner {
  private readonly tokens = new Map<string, string>();
  private readonly unavailable = new Set<string>();
  private plans = new Map<string, Plan>();
  private readonly extensionAsked = new Set<string>();
  private readonly citizens = new Map<string, { since: number }>();
  private readonly random: () => number;
  private readonly citizenRatePerSimMs: number;
  private citizenCarry = 0;
  private lastCitizenSim: number;
  private nextListWall = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  readonly stats: StaffStats = { actions: {}, refused: {}, repairs: 0, citizenReports: 0, citizenRatings: 0 };

  constructor(private readonly opts: StaffRunnerOptions) {
    this.random = mulberry32(opts.seed ^ 0x5eed);
    this.citizenRatePerSimMs = ((opts.citizenReportsPerPoleDay ?? CITIZEN_REPORTS_PER_POLE_DAY) * opts.poles.length) / 86_400_000;
    this.lastCitizenSim = opts.clock.now();
  }

  /** Wall ms between two ticks: a simulated minute, within 100 ms .. 5 s. */
  get tickMs(): number {
    return Math.min(5000, Math.max(100, this.opts.clock.wallMs(60_000)));
  }

  start(): void {
    const loop = (): void => {
      if (this.stopped) return;
      this.ticking = this.tick()
        .catch((err: unknown) => this.opts.log.warn({ err: (err as Error).message }, 'simulated staff: a round failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.tickMs).unref();
        });
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
  }

  /** One round: look at the cases when due, act on what is due, let citizens report. */
  async tick(): Promise<void> {
    const wall = Date.now();
    if (wall >= this.nextListWall) {
      this.nextListWall = wall + Math.max(MIN_LIST_WALL_MS, this.opts.clock.wallMs(LIST_EVERY_SIM_MS));
      await this.relist();
      await this.followCitizens();
    }
    await this.actOnDue();
    await this.citizensReport();
  }

  /** Plans afresh for every case the staff work, from the list the dispatcher sees. */
  private async relist(): Promise<void> {
    const plans = new Map<string, Plan>();
    const handling = new Set<string>();
    for (const status of WORKED) {
      for (let offset = 0; ; offset += PAGE) {
        const res = await this.call('sim-dispatcher', 'GET', `/api/cases?status=${status}&limit=${PAGE}&offset=${offset}`);
        if (res.status !== 200) return;
        const page = res.body as CaseListResponse;
        for (const c of page.items) {
          if (c.status === 'handling') handling.add(c.id);
          this.plan(c, plans);
        }
        if (offset + PAGE >= page.total || page.items.length === 0) break;
      }
    }
    for (const id of this.extensionAsked) if (!handling.has(id)) this.extensionAsked.delete(id);
    this.plans = plans;
  }

  private plan(c: Case, into: Map<string, Plan>): void {
    const plan = planFor(c, { seed: this.opts.seed, departmentIds: this.opts.departmentIds, extensionAsked: (id) => this.extensionAsked.has(id) });
    if (plan) into.set(c.id, plan);
    else into.delete(c.id);
  }

  private async actOnDue(): Promise<void> {
    const now = this.opts.clock.now();
    const due = [...this.plans.values()].filter((p) => p.at <= now).sort((a, b) => a.at - b.at);
    for (const plan of due.slice(0, MAX_ACTIONS_PER_TICK)) {
      if (this.stopped) return;
      await this.carryOut(plan);
    }
  }

  /** The actor that a plan needs: the dispatcher, the inspector, or the case's department's handler. */
  private actorFor(plan: Plan): StaffActor | undefined {
    return this.opts.actors.find((a) => a.role === plan.role && (plan.role !== 'handler' || a.departmentId === plan.departmentId));
  }

  private async carryOut(plan: Plan): Promise<void> {
    this.plans.delete(plan.caseId);
    const actor = this.actorFor(plan);
    if (!actor) return;
    let targets: RepairTargets | undefined;
    if (plan.repairs) {
      const detail = await this.call(actor.username, 'GET', `/api/cases/${plan.caseId}`);
      if (detail.status === 200) {
        const d = detail.body as CaseDetail;
        targets = repairTargets(d.case, d.reports);
      }
    }
    // No idempotency key: the desk is in-process and never loses an answer, and every key's answer
    // is kept in the database for good (a retry of a lost request is what keys are for).
    const res = await this.call(actor.username, 'POST', `/api/cases/${plan.caseId}/actions`, plan.request);
    if (res.status !== 200) {
      this.stats.refused[res.status] = (this.stats.refused[res.status] ?? 0) + 1;
      this.opts.log.debug({ caseId: plan.caseId, action: plan.request.action, actor: actor.username, status: res.status, body: res.body }, 'simulated staff: refused');
      return;
    }
    const action = plan.request.action;
    this.stats.actions[action] = (this.stats.actions[action] ?? 0) + 1;
    if (action === 'request-extension') this.extensionAsked.add(plan.caseId);
    if (targets) this.stats.repairs += this.opts.repair(targets);
    // Plan the next step at once instead of waiting for the next look at the list.
    this.plan((res.body as CaseActionResponse).case, this.plans);
  }

  /** New citizen reports due since the last round: a Poisson stream on the simulated clock. */
  private async citizensReport(): Promise<void> {
    const now = this.opts.clock.now();
    this.citizenCarry += (now - this.lastCitizenSim) * this.citizenRatePerSimMs;
    this.lastCitizenSim = now;
    while (this.citizenCarry >= 1 && !this.stopped) {
      this.citizenCarry -= 1;
      const pole = this.opts.poles[Math.floor(this.random() * this.opts.poles.length)];
      const categoryId = CITIZEN_CATEGORIES[Math.floor(this.random() * CITIZEN_CATEGORIES.length)]!;
      const category = CATEGORY_BY_ID.get(categoryId);
      if (!pole || !category) return;
      // Within about 20 m of a pole: on the street.
      const lon = pole.lon + (this.random() - 0.5) * 4e-4;
      const lat = pole.lat + (this.random() - 0.5) * 4e-4;
      const res = await this.opts.http({
        method: 'POST',
        url: '/api/reports',
        payload: { categoryId, description: `市民反映：${category.zh} Citizen report: ${category.en}（模拟 simulated）`, lon, lat, contact: '模拟市民 simulated citizen' },
        from: 'citizen',
      });
      if (res.status !== 201) {
        this.stats.refused[res.status] = (this.stats.refused[res.status] ?? 0) + 1;
        continue;
      }
      this.stats.citizenReports += 1;
      this.citizens.set((res.body as PublicReportResponse).trackingCode, { since: now });
      if (this.citizens.size > MAX_TRACKED_CITIZENS) this.citizens.delete(this.citizens.keys().next().value!);
    }
  }

  /** Citizens look at their reports' progress and rate once closed (most of them). */
  private async followCitizens(): Promise<void> {
    const now = this.opts.clock.now();
    for (const [code, { since }] of this.citizens) {
      if (this.stopped) return;
      const res = await this.opts.http({ method: 'GET', url: `/api/reports/${code}`, from: 'citizen' });
      const progress = res.body as PublicProgress;
      if (res.status !== 200 || progress.status === 'cancelled' || progress.rating !== undefined || now - since > CITIZEN_GIVES_UP_SIM_MS) {
        this.citizens.delete(code);
        continue;
      }
      if (!progress.canRate) continue;
      if (!chance(CITIZEN_RATE_SHARE, this.opts.seed, code, 'rates')) {
        this.citizens.delete(code);
        continue;
      }
      const closedAt = progress.steps.find((s) => s.status === 'closed')?.at ?? since;
      if (now < closedAt + logNormal(STEP_SPREADS.rateMin, this.opts.seed, code, 'rate-at') * 60_000) continue;
      const rated = await this.opts.http({ method: 'POST', url: `/api/reports/${code}/rating`, payload: { rating: rating(this.opts.seed, code, 'citizen') }, from: 'citizen' });
      if (rated.status === 200) this.stats.citizenRatings += 1;
      this.citizens.delete(code);
    }
  }

  /** A request as `username`, logging in first (again after a 401). */
  private async call(username: string, method: 'GET' | 'POST', url: string, payload?: object): Promise<{ status: number; body: unknown }> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.token(username);
      if (token === undefined) return { status: 401, body: { message: `${username} cannot log in` } };
      const res = await this.opts.http({ method, url, token, payload, from: 'staff' });
      if (res.status !== 401) return res;
      this.tokens.delete(username);
    }
    return { status: 401, body: { message: `${username} was logged out` } };
  }

  private async token(username: string): Promise<string | undefined> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    if (this.unavailable.has(username)) return undefined;
    const password = this.opts.passwords.get(username);
    const res = await this.opts.http({ method: 'POST', url: '/api/auth/login', payload: { username, password: password ?? '' }, from: 'staff' });
    if (res.status === 429) return undefined;
    if (res.status !== 200) {
      // Disabled by an administrator (or its password changed): this actor stops until the next start.
      this.unavailable.add(username);
      this.opts.log.warn({ username, status: res.status }, 'simulated staff: an actor cannot log in and stops');
      return undefined;
    }
    const token = (res.body as { token: string }).token;
    this.tokens.set(username, token);
    return token;
  }
}
