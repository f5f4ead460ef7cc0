/**
 * The case state machine (server/cases/workflow.ts) against the national workflow: the seven
 * stages, who may do what, and the exception paths, with deadlines checked to the minute.
 */
import { describe, expect, it } from 'vitest';
import type { Case } from '../../domain/cases/case';
import { CASE_ACTIONS } from '../../domain/cases/actions';
import { VERIFY_LIMIT } from '../../domain/cases/categories';
import { allowedActions, applyAction, type ActionInput, type Caller, type WorkflowContext } from '../../server/cases/workflow';
import { T0, makeCase } from './caseFactory';

const MIN = 60_000;
const H = 60 * MIN;
const dispatcher: Caller = { userId: 'u-d', username: 'dispatcher', role: 'dispatcher' };
const inspector: Caller = { userId: 'u-i', username: 'inspector', role: 'inspector' };
const leader: Caller = { userId: 'u-l', username: 'leader', role: 'leader' };
const planner: Caller = { userId: 'u-p', username: 'planner', role: 'planner' };
const lighting: Caller = { userId: 'u-h1', username: 'handler-light', role: 'handler', departmentId: 'D-LIGHT' };
const water: Caller = { userId: 'u-h2', username: 'handler-water', role: 'handler', departmentId: 'D-WATER' };

const ctx = (now: number): WorkflowContext => ({ now, departmentIds: new Set(['D-LIGHT', 'D-WATER']), verifyLimit: VERIFY_LIMIT.city });

/** Applies a sequence of [caller, input, minutes after T0] and returns the final case. */
function run(c: Case, steps: Array<[Caller, ActionInput, number]>): Case {
  return steps.reduce((cur, [caller, input, min]) => applyAction(cur, input, caller, ctx(T0 + min * MIN)).case, c);
}

const lampCase = (): Case => makeCase({ id: 'C00000001', kind: 'component', categoryId: 'lamp-out', suggestedDepartmentId: 'D-LIGHT' });

describe('the seven stages', () => {
  it('walks collect → create → dispatch → handle → feedback → verify/close → evaluate with deadlines and an audit event per step', () => {
    let c = makeCase({ id: 'C00000001', categoryId: 'cover-missing', kind: 'component', urgency: 'urgent', suggestedDepartmentId: 'D-WATER' });
    const step = (caller: Caller, input: ActionInput, min: number) => {
      const r = applyAction(c, input, caller, ctx(T0 + min * MIN));
      c = r.case;
      return r.event;
    };
    expect(step(dispatcher, { action: 'register' }, 2)).toMatchObject({ action: 'register', from: 'reported', to: 'registered', at: T0 + 2 * MIN });
    // Urgent: dispatch within 10 minutes of registration.
    expect(c.dueAt).toBe(T0 + 12 * MIN);
    const dispatch = step(dispatcher, { action: 'dispatch' }, 5);
    expect(dispatch.data).toEqual({ departmentId: 'D-WATER' });
    expect(c).toMatchObject({ status: 'dispatched', departmentId: 'D-WATER', dispatchedAt: T0 + 5 * MIN });
    // A missing manhole cover is fixed within 2 h of dispatch.
    expect(c.handleDueAt).toBe(T0 + 5 * MIN + 2 * H);
    expect(c.dueAt).toBe(c.handleDueAt);
    step(water, { action: 'accept' }, 10);
    expect(c.status).toBe('handling');
    expect(c.dueAt).toBe(T0 + 5 * MIN + 2 * H);
    step(water, { action: 'feedback', note: 'new cover fitted' }, 90);
    expect(c).toMatchObject({ status: 'handled', handledAt: T0 + 90 * MIN, handledLate: false, dueAt: T0 + 150 * MIN });
    step(inspector, { action: 'close' }, 120);
    expect(c).toMatchObject({ status: 'closed', closedAt: T0 + 120 * MIN, dueAt: undefined });
    const evaluated = step(leader, { action: 'evaluate', rating: 5 }, 200);
    expect(evaluated.data).toEqual({ rating: 5 });
    expect(c).toMatchObject({ status: 'evaluated', rating: 5, version: 7 });
    expect(evaluated.actor).toEqual({ kind: 'user', userId: 'u-l', username: 'leader', role: 'leader' });
  });

  it('marks handling that ends after the deadline as late', () => {
    const c = run(lampCase(), [
      [dispatcher, { action: 'register' }, 0],
      [dispatcher, { action: 'dispatch' }, 0],
      [lighting, { action: 'accept' }, 1],
      // lamp-out, normal: 3 working days from Wednesday 10:00 → Monday 10:00.
      [lighting, { action: 'feedback', note: 'done' }, 5 * 24 * 60 + 1],
    ]);
    expect(c.handleDueAt).toBe(T0 + 5 * 24 * H);
    expect(c.handledLate).toBe(true);
  });
});

describe('roles and departments', () => {
  it('lets each role take only its actions, and handlers only on their department', () => {
    const dispatched = run(lampCase(), [
      [dispatcher, { action: 'register' }, 0],
      [dispatcher, { action: 'dispatch' }, 1],
    ]);
    expect(allowedActions(lighting, dispatched)).toEqual(['accept', 'return', 'comment']);
    expect(allowedActions(water, dispatched)).toEqual([]);
    expect(allowedActions(dispatcher, dispatched)).toEqual(['suspend', 'comment']);
    expect(allowedActions(leader, dispatched)).toEqual(['suspend', 'comment']);
    expect(allowedActions(planner, dispatched)).toEqual([]);
    expect(() => applyAction(dispatched, { action: 'accept' }, water, ctx(T0))).toThrow(/not dispatched to department D-WATER/);
    expect(() => applyAction(dispatched, { action: 'accept' }, dispatcher, ctx(T0))).toThrow(/role dispatcher may not accept/);
    const err = (() => {
      try {
        applyAction(dispatched, { action: 'close' }, inspector, ctx(T0));
      } catch (e) {
        return e as { reason: string; message: string };
      }
    })();
    expect(err).toMatchObject({ reason: 'stage', message: expect.stringMatching(/cannot close case C00000001 in status dispatched/) });
  });

  it('offers every action to some role in some status (no dead action)', () => {
    const reachable = new Set<string>();
    const statuses = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'closed', 'suspended'] as const;
    const pending = { minutes: 1, note: 'x', requestedAt: T0, requestedBy: 'h' };
    for (const status of statuses) {
      for (const extensionRequest of [undefined, pending]) {
        const c: Case = { ...lampCase(), status, departmentId: 'D-LIGHT', extensionRequest };
        for (const caller of [dispatcher, inspector, leader, lighting]) for (const a of allowedActions(caller, c)) reachable.add(a);
      }
    }
    expect([...reachable].sort()).toEqual([...CASE_ACTIONS].sort());
  });

  it('requires notes where the rule says so', () => {
    expect(() => applyAction(lampCase(), { action: 'cancel', reason: 'invalid', note: '  ' }, dispatcher, ctx(T0))).toThrow('note is required to cancel a case');
  });
});

describe('exception paths', () => {
  it('return: the wrong unit sends it back; the dispatcher re-dispatches with a fresh clock', () => {
    const returned = run(lampCase(), [
      [dispatcher, { action: 'register' }, 0],
      [dispatcher, { action: 'dispatch', departmentId: 'D-WATER' }, 1],
      [water, { action: 'return', note: 'street lamps are not ours' }, 20],
    ]);
    expect(returned).toMatchObject({ status: 'registered', departmentId: undefined, handleDueAt: undefined, returnCount: 1, dueAt: T0 + 50 * MIN });
    const redispatched = applyAction(returned, { action: 'dispatch', departmentId: 'D-LIGHT' }, dispatcher, ctx(T0 + 25 * MIN)).case;
    expect(redispatched).toMatchObject({ status: 'dispatched', departmentId: 'D-LIGHT', dispatchedAt: T0 + 25 * MIN });
  });

  it('extension: requested by the handler, approved by the dispatcher, moves the deadline', () => {
    const handling = run(lampCase(), [
      [dispatcher, { action: 'register' }, 0],
      [dispatcher, { action: 'dispatch' }, 0],
      [lighting, { action: 'accept' }, 1],
    ]);
    const requested = applyAction(handling, { action: 'request-extension', minutes: 120, note: 'cable fault, need the power company' }, lighting, ctx(T0 + 2 * MIN)).case;
    expect(requested.extensionRequest).toEqual({ minutes: 120, note: 'cable fault, need the power company', requestedAt: T0 + 2 * MIN, requestedBy: 'handler-light' });
    expect(() => applyAction(requested, { action: 'request-extension', minutes: 10, note: 'again' }, lighting, ctx(T0))).toThrow(/already has an extension request/);
    expect(() => applyAction(requested, { action: 'approve-extension' }, lighting, ctx(T0))).toThrow(/role handler may not approve-extension/);
    const approved = applyAction(requested, { action: 'approve-extension' }, dispatcher, ctx(T0 + 3 * MIN)).case;
    expect(approved.handleDueAt).toBe(handling.handleDueAt! + 120 * MIN);
    expect(approved.dueAt).toBe(approved.handleDueAt);
    expect(approved.extensionRequest).toBeUndefined();
    const rejected = applyAction(requested, { action: 'reject-extension', note: 'not justified' }, leader, ctx(T0 + 3 * MIN)).case;
    expect(rejected.handleDueAt).toBe(handling.handleDueAt);
    expect(() => applyAction(handling, { action: 'approve-extension' }, dispatcher, ctx(T0))).toThrow(/no extension request/);
  });

  it('suspension pauses every clock and resume returns to the same step', () => {
    const handling = run(lampCase(), [
      [dispatcher, { action: 'register' }, 0],
      [dispatcher, { action: 'dispatch' }, 0],
      [lighting, { action: 'accept' }, 1],
    ]);
    const suspended = applyAction(handling, { action: 'suspend', note: 'road works until spring' }, leader, ctx(T0 + 10 * MIN)).case;
    expect(suspended).toMatchObject({ status: 'suspended', suspendedFrom: 'handling', suspendedAt: T0 + 10 * MIN });
    expect(allowedActions(lighting, suspended)).toEqual(['comment']);
    const resumed = applyAction(suspended, { action: 'resume' }, dispatcher, ctx(T0 + 10 * MIN + 48 * H)).case;
    expect(resumed).toMatchObject({ status: 'handling', suspendedFrom: undefined, overdue: false });
    expect(resumed.handleDueAt).toBe(handling.handleDueAt! + 48 * H);
    expect(resumed.dueAt).toBe(handling.dueAt! + 48 * H);
  });

  it('reopen after failed verification: back to the same department, counted as rework', () => {
    const handled = run(lampCase(), [
      [dispatcher, { action: 'register' }, 0],
      [dispatcher, { action: 'dispatch' }, 0],
      [lighting, { action: 'accept' }, 1],
      [lighting, { action: 'feedback', note: 'replaced bulb' }, 60],
    ]);
    expect(() => applyAction(handled, { action: 'reopen' }, inspector, ctx(T0))).toThrow('note is required');
    const reopened = applyAction(handled, { action: 'reopen', note: 'still dark at 20:00' }, inspector, ctx(T0 + 2 * H)).case;
    expect(reopened).toMatchObject({ status: 'dispatched', departmentId: 'D-LIGHT', reopenCount: 1, handledAt: undefined, dispatchedAt: T0 + 2 * H });
    // lamp-out normal: 3 working days from Wednesday 12:00 → Monday 12:00.
    expect(reopened.handleDueAt).toBe(T0 + 2 * H + 5 * 24 * H);
  });

  it('cancel: invalid reports and duplicates naming the case they duplicate', () => {
    const dup = applyAction(lampCase(), { action: 'cancel', reason: 'duplicate', duplicateOf: 'C00000007', note: 'same lamp' }, dispatcher, ctx(T0)).case;
    expect(dup).toMatchObject({ status: 'cancelled', cancelReason: 'duplicate', duplicateOf: 'C00000007', dueAt: undefined });
    expect(() => applyAction(lampCase(), { action: 'cancel', reason: 'duplicate', note: 'x' }, dispatcher, ctx(T0))).toThrow('duplicateOf must name');
    expect(() => applyAction(lampCase(), { action: 'cancel', note: 'x' }, dispatcher, ctx(T0))).toThrow('reason must be invalid or duplicate');
    expect(allowedActions(dispatcher, dup)).toEqual([]);
  });

  it('dispatch refuses departments the twin does not have, and cases no rule fits without one', () => {
    const registered = run(makeCase({ id: 'C00000002' }), [[dispatcher, { action: 'register' }, 0]]);
    expect(() => applyAction(registered, { action: 'dispatch' }, dispatcher, ctx(T0))).toThrow('departmentId is required');
    expect(() => applyAction(registered, { action: 'dispatch', departmentId: 'D-NOPE' }, dispatcher, ctx(T0))).toThrow('"D-NOPE" is not a department');
  });
});
