/**
 * The case workflow with its storage: intake from every source with duplicate merge, actions with
 * idempotency keys and optimistic versions, citizen tracking and rating, supervision and KPIs.
 * The rules themselves are the pure modules beside this one; this class reads, decides, commits.
 *
 * Idempotency: a POST with a key stores its answer in the same transaction as its change; a
 * retry with the key gets that answer back and changes nothing (also when two copies race: the
 * loser's transaction fails on the key and it answers the winner's stored answer).
 */
import { randomBytes } from 'node:crypto';
import type {
  CaseActionResponse,
  CaseDetail,
  CaseListQuery,
  CaseListResponse,
  CreateCaseResponse,
  KpiResponse,
  PublicProgress,
} from '../../domain/cases/api';
import type { CaseActionRequest } from '../../domain/cases/actions';
import type { Actor, Case, CaseEvent, CaseReport } from '../../domain/cases/case';
import { CASE_STAGE_OF, CASE_STATUSES } from '../../domain/cases/stages';
import type { NewEvent, Storage, StoredUser } from '../storage/Storage';
import { UniqueViolation, VersionConflict, type IdempotencyKey, type IdempotentAnswer } from '../storage/Storage';
import { CaseRuleError } from './CaseRuleError';
import { verifyLimitFor } from './dispatchRules';
import { DEFAULT_DUPLICATE_RULE, findDuplicate, type DuplicateRule } from './duplicates';
import { boxAround } from '../../kernel/geodesy';
import { locate, mergeInto, newCase, newReport, type IntakeInput, type IntakePlace } from './intake';
import { computeKpis } from './kpis';
import type { PhotoStore } from './photos';
import { supervise } from './supervision';
import { allowedActions, applyAction, maySee, type Caller, type WorkflowContext } from './workflow';

export interface CaseServiceOptions {
  storage: Storage;
  place: IntakePlace;
  photos: PhotoStore;
  duplicateRule?: DuplicateRule;
  now?: () => number;
  /** Called after every committed change (stream to browsers). */
  onChange?: (c: Case, event: CaseEvent) => void;
}

export interface IntakeOptions {
  idempotency?: IdempotencyKey;
  /** Give the report a tracking code (citizens follow and rate by it). */
  citizen?: boolean;
  /** Base64 JPEG or PNG. */
  photo?: string;
}

/** An answer with its HTTP status, as stored for idempotent replays. */
export interface Answer<T> {
  statusCode: number;
  body: T;
}

/** The default KPI window: the last 30 days. */
export const KPI_WINDOW_MS = 30 * 86_400_000;
const TRACKING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const MAX_RETRIES = 5;

export function trackingCode(): string {
  const bytes = randomBytes(10);
  let code = '';
  for (const b of bytes) code += TRACKING_ALPHABET[b & 31];
  return code;
}

export class CaseService {
  private readonly storage: Storage;
  private readonly place: IntakePlace;
  private readonly departmentIds: ReadonlySet<string>;
  private readonly now: () => number;
  /**
   * Intake runs one at a time so two copies of one report cannot both open a case: in this
   * process by this queue, across processes by a storage lock per category.
   */
  private intakeQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: CaseServiceOptions) {
    this.storage = opts.storage;
    this.place = opts.place;
    this.departmentIds = new Set(opts.place.departments.map((d) => d.id));
    this.now = opts.now ?? Date.now;
  }

  /** The workflow's clock now: the wall clock, or the simulated one when the simulated staff run. */
  currentTime(): number {
    return this.now();
  }

  /**
   * A report from any source: a new case, or a merge into the open case it duplicates. Citizens
   * get a tracking code; a photo is stored once the report is known to be valid.
   */
  async intake(input: IntakeInput, actor: Actor, options: IntakeOptions = {}): Promise<Answer<CreateCaseResponse>> {
    const { idempotency, citizen = false, photo } = options;
    const replay = await this.replay(idempotency);
    if (replay) return replay as Answer<CreateCaseResponse>;
    const where = locate(input, this.place);
    if (photo !== undefined) input = { ...input, photoId: await this.opts.photos.save(photo) };
    // The storage lock makes duplicate detection race-free across servers sharing the database.
    const run = this.intakeQueue.then(() =>
      this.storage.withLock(`case-intake:${where.category.id}`, () => this.intakeNow(input, where, actor, idempotency, citizen)),
    );
    this.intakeQueue = run.catch(() => undefined);
    return run;
  }

  private async intakeNow(
    input: IntakeInput,
    where: ReturnType<typeof locate>,
    actor: Actor,
    idempotency: IdempotencyKey | undefined,
    citizen: boolean,
  ): Promise<Answer<CreateCaseResponse>> {
    for (let attempt = 0; ; attempt++) {
      const now = this.now();
      const rule = this.opts.duplicateRule ?? DEFAULT_DUPLICATE_RULE;
      const candidates = await this.storage.findOpenNear({
        categoryId: where.category.id,
        ...boxAround(where.lon, where.lat, rule.radiusM),
        since: now - rule.windowMs,
        componentCode: where.component?.code,
      });
      const open = findDuplicate({ categoryId: where.category.id, lon: where.lon, lat: where.lat, componentCode: where.component?.code, at: now }, candidates, rule);
      const caseId = open?.id ?? (await this.storage.nextCaseId());
      const report = newReport(input, where, { reportId: `R${randomBytes(8).toString('hex')}`, caseId, trackingCode: citizen ? trackingCode() : undefined }, now);
      const change = open ? mergeInto(open, report, actor, now) : newCase(input, where, caseId, actor, now);
      const answer = (): IdempotentAnswer => ({
        statusCode: 201,
        body: { case: change.case, report, merged: open !== undefined } satisfies CreateCaseResponse,
      });
      try {
        const events = await this.storage.commit({
          case: change.case,
          expectedVersion: open?.version,
          reports: [report],
          events: [change.event],
          idempotency: idempotency && { ...idempotency, answer },
        });
        this.changed(change.case, events);
        return answer() as Answer<CreateCaseResponse>;
      } catch (err) {
        const retry = await this.afterConflict(err, idempotency, attempt);
        if (retry) return retry as Answer<CreateCaseResponse>;
      }
    }
  }

  /** An action on a case by a logged-in user. */
  async act(caseId: string, request: CaseActionRequest, caller: Caller, idempotency?: IdempotencyKey): Promise<Answer<CaseActionResponse>> {
    const replay = await this.replay(idempotency);
    if (replay) return replay as Answer<CaseActionResponse>;
    const { photo, expectedVersion, ...rest } = request;
    let photoId: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const c = await this.visibleCase(caseId, caller);
      if (expectedVersion !== undefined && expectedVersion !== c.version) {
        throw new CaseRuleError('conflict', `case ${caseId} is at version ${c.version}, not ${expectedVersion}; reload it`);
      }
      if (rest.action === 'cancel' && rest.reason === 'duplicate' && rest.duplicateOf !== undefined) {
        if (!(await this.storage.getCase(rest.duplicateOf))) throw new CaseRuleError('invalid', `duplicateOf: case "${rest.duplicateOf}" not found`, ['duplicateOf']);
      }
      const ctx: WorkflowContext = { now: this.now(), departmentIds: this.departmentIds, verifyLimit: verifyLimitFor(c.gridCode, this.place.dispatch) };
      // Decide before storing a photo, so a refused action leaves no file behind.
      let decided = applyAction(c, { ...rest, photoId }, caller, ctx);
      if (photo !== undefined && photoId === undefined) {
        photoId = await this.opts.photos.save(photo);
        decided = applyAction(c, { ...rest, photoId }, caller, ctx);
      }
      const { case: next, event } = decided;
      const answer = (events: CaseEvent[]): IdempotentAnswer => ({ statusCode: 200, body: { case: next, event: events[0]! } satisfies CaseActionResponse });
      try {
        const events = await this.storage.commit({
          case: next,
          expectedVersion: c.version,
          events: [event],
          idempotency: idempotency && { ...idempotency, answer },
        });
        this.changed(next, events);
        return answer(events) as Answer<CaseActionResponse>;
      } catch (err) {
        // Someone changed the case between read and write: a user who named a version must
        // reload; otherwise decide again on the fresh case.
        if (err instanceof VersionConflict && expectedVersion !== undefined) throw new CaseRuleError('conflict', err.message);
        const retry = await this.afterConflict(err, idempotency, attempt);
        if (retry) return retry as Answer<CaseActionResponse>;
      }
    }
  }

  /**
   * After a failed commit: the stored answer when the idempotency key was taken by a copy of this
   * request, undefined to try again after a version conflict, else the error.
   */
  private async afterConflict(err: unknown, idempotency: IdempotencyKey | undefined, attempt: number): Promise<IdempotentAnswer | undefined> {
    if (err instanceof UniqueViolation && err.what === 'idempotency' && idempotency) {
      const stored = await this.replay(idempotency);
      if (stored) return stored;
    }
    if (err instanceof UniqueViolation && err.what === 'alarm') throw new CaseRuleError('conflict', err.message);
    if ((err instanceof VersionConflict || (err instanceof UniqueViolation && err.what === 'tracking')) && attempt < MAX_RETRIES) return undefined;
    throw err;
  }

  /**
   * The stored answer of an earlier request with this key, to replay; a 422 when the key was
   * first used with another body (a different request must not get the first one's result).
   */
  private async replay(idempotency: IdempotencyKey | undefined): Promise<IdempotentAnswer | undefined> {
    if (!idempotency) return undefined;
    const stored = await this.storage.getIdempotent(idempotency.key);
    if (stored?.requestHash !== undefined && stored.requestHash !== idempotency.requestHash) {
      throw new CaseRuleError('mismatch', 'idempotency-key was used before with a different request body; send a new key', ['idempotency-key']);
    }
    return stored;
  }

  private async visibleCase(caseId: string, caller: Pick<Caller, 'role' | 'departmentId'>): Promise<Case> {
    const c = await this.storage.getCase(caseId);
    // Handlers get "not found" for other departments' cases: they should not learn they exist.
    if (!c || !maySee(caller, c)) throw new CaseRuleError('not-found', `case "${caseId}" not found`);
    return c;
  }

  async detail(caseId: string, caller: Caller): Promise<CaseDetail> {
    const c = await this.visibleCase(caseId, caller);
    const [reports, events] = await Promise.all([this.storage.getReports(caseId), this.storage.getEvents(caseId)]);
    return { case: c, reports, events, allowedActions: allowedActions(caller, c) };
  }

  /** The case and photo when `caller` may see the case and the case has that photo. */
  async photo(caseId: string, photoId: string, caller: Caller): Promise<{ bytes: Buffer; type: string }> {
    const c = await this.visibleCase(caseId, caller);
    const reports = await this.storage.getReports(caseId);
    const known = c.photoIds.includes(photoId) || reports.some((r) => r.photoId === photoId);
    const photo = known ? await this.opts.photos.read(photoId) : undefined;
    if (!photo) throw new CaseRuleError('not-found', `photo "${photoId}" of case ${caseId} not found`);
    return photo;
  }

  async list(query: CaseListQuery, caller: Pick<StoredUser, 'role' | 'departmentId'>): Promise<CaseListResponse> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const filter = { ...query, limit, offset };
    if (query.stage !== undefined) Object.assign(filter, { statuses: CASE_STATUSES.filter((s) => CASE_STAGE_OF[s] === query.stage) });
    // Handlers see their own department's cases only, whatever they ask for.
    if (caller.role === 'handler') {
      if (query.departmentId !== undefined && query.departmentId !== caller.departmentId) return { total: 0, offset, limit, items: [] };
      filter.departmentId = caller.departmentId ?? '(none)';
    }
    const { total, items } = await this.storage.listCases(filter);
    return { total, offset, limit, items };
  }

  // Citizens

  async progress(code: string): Promise<PublicProgress> {
    const report = await this.storage.getReportByTrackingCode(code);
    if (!report) throw new CaseRuleError('not-found', `tracking code "${code}" not found`);
    const c = await this.storage.getCase(report.caseId);
    if (!c) throw new CaseRuleError('not-found', `tracking code "${code}" not found`);
    const events = await this.storage.getEvents(c.id);
    // Status changes since this citizen reported; names and internal notes stay internal.
    const steps: PublicProgress['steps'] = [{ at: report.reportedAt, status: 'reported' }];
    for (const e of events) if (e.at >= report.reportedAt && e.from !== undefined && e.from !== e.to) steps.push({ at: e.at, status: e.to });
    const progress: PublicProgress = {
      trackingCode: code,
      categoryId: report.categoryId,
      status: c.status,
      stage: CASE_STAGE_OF[c.status],
      reportedAt: report.reportedAt,
      steps,
      canRate: report.rating === undefined && (c.status === 'closed' || c.status === 'evaluated'),
    };
    if (report.rating !== undefined) progress.rating = report.rating;
    return progress;
  }

  async rate(code: string, rating: number, comment: string | undefined): Promise<PublicProgress> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new CaseRuleError('invalid', 'rating must be an integer 1..5', ['rating']);
    for (let attempt = 0; ; attempt++) {
      const report = await this.storage.getReportByTrackingCode(code);
      const c = report && (await this.storage.getCase(report.caseId));
      if (!report || !c) throw new CaseRuleError('not-found', `tracking code "${code}" not found`);
      if (report.rating !== undefined) throw new CaseRuleError('stage', 'this report was rated already');
      if (c.status !== 'closed' && c.status !== 'evaluated') throw new CaseRuleError('stage', `the case is ${c.status}; it can be rated once closed`);
      const rated: CaseReport = { ...report, rating };
      const others = (await this.storage.getReports(c.id)).filter((r) => r.id !== report.id && r.rating !== undefined);
      const all = [...others.map((r) => r.rating!), rating];
      const now = this.now();
      // The case's satisfaction is the mean of its reporters' ratings.
      const next: Case = { ...c, rating: all.reduce((a, b) => a + b, 0) / all.length, updatedAt: now, version: c.version + 1 };
      const event: NewEvent = {
        caseId: c.id,
        at: now,
        actor: { kind: 'citizen', trackingCode: code },
        action: 'rate',
        from: c.status,
        to: c.status,
        data: { rating, reportId: report.id },
      };
      const note = comment?.trim();
      if (note) event.note = note;
      try {
        const events = await this.storage.commit({ case: next, expectedVersion: c.version, reports: [rated], events: [event] });
        this.changed(next, events);
        return this.progress(code);
      } catch (err) {
        if (!(err instanceof VersionConflict) || attempt >= MAX_RETRIES) throw err;
      }
    }
  }

  /**
   * Appends an entry to a case's timeline without changing its status (an emergency response
   * dispatched, a unit on site: server/emergency/). Retried on a version conflict.
   */
  async record(caseId: string, actor: Actor, note: string, data: Record<string, string | number | boolean>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.storage.getCase(caseId);
      if (!c) throw new CaseRuleError('not-found', `case "${caseId}" not found`, ['caseId']);
      const now = this.now();
      const next: Case = { ...c, updatedAt: now, version: c.version + 1 };
      const event = { caseId, at: now, actor, action: 'emergency' as const, from: c.status, to: c.status, note, data };
      try {
        this.changed(next, await this.storage.commit({ case: next, expectedVersion: c.version, events: [event] }));
        return;
      } catch (err) {
        if (!(err instanceof VersionConflict) || attempt >= MAX_RETRIES) throw err;
      }
    }
  }

  // Supervision and evaluation

  /** One pass of the supervision timer; returns how many cases it marked or escalated. */
  async supervise(batch = 500): Promise<number> {
    const now = this.now();
    let changed = 0;
    for (const c of await this.storage.listDue(now, batch)) {
      const step = supervise(c, now);
      if (!step) continue;
      try {
        const events = await this.storage.commit({ case: step.case, expectedVersion: c.version, events: [step.event] });
        this.changed(step.case, events);
        changed += 1;
      } catch (err) {
        // A user changed it meanwhile; the next pass looks again.
        if (!(err instanceof VersionConflict)) throw err;
      }
    }
    return changed;
  }

  /** KPIs over the cases created in [from, to); default the last KPI_WINDOW_MS up to now. */
  async kpis(by: 'department' | 'grid', fromArg?: number, toArg?: number): Promise<KpiResponse> {
    const to = toArg ?? this.now() + 1;
    const from = fromArg ?? to - KPI_WINDOW_MS;
    if (!(from < to)) throw new CaseRuleError('invalid', 'from must be before to', ['from', 'to']);
    return { by, from, to, ...computeKpis(await this.storage.kpiRows(from, to), by) };
  }

  private changed(c: Case, events: CaseEvent[]): void {
    for (const event of events) this.opts.onChange?.(c, event);
  }
}
