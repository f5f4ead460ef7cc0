/**
 * What the case workflow and the scenario queue (scenarioStorage.ts) need from a database,
 * implemented by SQLite (default, embedded) and PostgreSQL. Both pass one contract suite
 * (test/storage/storageContract.ts).
 *
 * Every change goes through `commit`, one transaction: the case row, its new or changed reports,
 * its audit events and the idempotency answer are stored together or not at all, and the promise
 * resolves only once the transaction is durable — so a success answer sent afterwards is never
 * lost. The audit trail is append-only: there is no method to change or delete an event and
 * the database refuses it (triggers).
 */
import type { CaseListQuery } from '../../domain/cases/api';
import type { Case, CaseEvent, CaseReport } from '../../domain/cases/case';
import type { User } from '../../domain/users';
import type { KpiRow } from '../cases/kpis';
import type { CommandStorage } from './commandStorage';
import type { EmergencyStorage } from './emergencyStorage';
import type { KpiEventRow } from '../cases/kpiSeries';
import type { ScenarioStorage } from './scenarioStorage';

export type StorageKind = 'sqlite' | 'postgres';

export type StorageConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** A user as stored, with the scrypt hash of the password. */
export interface StoredUser extends User {
  passwordHash: string;
  /**
   * Tokens carry the version they were issued under and are refused once it changed: a password
   * change or a disable raises it, so neither old tokens nor a later re-enable revive a session.
   * Absent on users stored before versions existed: 0.
   */
  tokenVersion?: number;
}

export interface StoredPhoto {
  id: string;
  type: 'image/jpeg' | 'image/png';
  bytes: Buffer;
}

/** The stored answer of an idempotent request, replayed to retries. */
export interface IdempotentAnswer {
  statusCode: number;
  body: unknown;
  /** SHA-256 of the request the key was first used with; absent on answers stored before it was kept. */
  requestHash?: string;
}

/** An idempotency key, already scoped to its route and caller, and the hash of its request's body. */
export interface IdempotencyKey {
  key: string;
  requestHash: string;
}

export type NewEvent = Omit<CaseEvent, 'seq'>;

export interface CaseWrite {
  case: Case;
  /** Absent: insert a new case. Present: update only if the stored version is this one. */
  expectedVersion?: number;
  /** Reports to insert, or to replace when one with the id exists. */
  reports?: CaseReport[];
  events: NewEvent[];
  /** Stored with the change; `answer` gets the events as stored (with their seq). */
  idempotency?: { key: string; requestHash?: string; answer: (events: CaseEvent[]) => IdempotentAnswer };
}

export interface CaseFilter extends Omit<CaseListQuery, 'limit' | 'offset'> {
  limit: number;
  offset: number;
  /** Stage number 1–7 resolved to the statuses that count at it. */
  statuses?: readonly string[];
}

export interface NearQuery {
  categoryId: string;
  west: number;
  south: number;
  east: number;
  north: number;
  /** Only cases created at or after this time. */
  since: number;
  componentCode?: string;
}

/** The stored version moved on since it was read (another change won). */
export class VersionConflict extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} was changed by someone else; reload it and try again`);
  }
}

/** A unique key is taken: an idempotency key, an alarm id, a tracking code or a username. */
export class UniqueViolation extends Error {
  constructor(readonly what: 'idempotency' | 'alarm' | 'tracking' | 'username' | 'case', message: string) {
    super(message);
  }
}

export interface Storage extends ScenarioStorage, CommandStorage, EmergencyStorage {
  readonly kind: StorageKind;
  close(): Promise<void>;

  /**
   * Runs `fn` while holding the lock `name`, shared by every process on this database
   * (PostgreSQL: a session advisory lock; SQLite: one process per file, so an in-process queue).
   * Callers of one name never overlap; the lock is released when `fn` settles.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;

  // Users
  countUsers(): Promise<number>;
  insertUser(user: StoredUser): Promise<void>;
  /** Replaces the stored user with the same id. */
  updateUser(user: StoredUser): Promise<void>;
  getUser(id: string): Promise<StoredUser | undefined>;
  getUserByUsername(username: string): Promise<StoredUser | undefined>;
  listUsers(): Promise<StoredUser[]>;

  // Cases
  /** A new case id, `C` + 8 digits, never handed out twice. */
  nextCaseId(): Promise<string>;
  /** Stores a change atomically and durably; returns the events as stored. */
  commit(write: CaseWrite): Promise<CaseEvent[]>;
  getCase(id: string): Promise<Case | undefined>;
  /** Newest first. */
  listCases(filter: CaseFilter): Promise<{ total: number; items: Case[] }>;
  /** Open cases of a category in a box (or on a component) created since a time: duplicate candidates. */
  findOpenNear(query: NearQuery): Promise<Case[]>;
  /** Open, not suspended cases whose step deadline is at or before `now` and not yet escalated to leaders. */
  listDue(now: number, limit: number): Promise<Case[]>;
  /** KPI fields of the cases created in [from, to). */
  kpiRows(from: number, to: number): Promise<KpiRow[]>;
  /** Cases created, and case events reaching `handled` or `closed`, in [from, to) (KPIs over time). */
  kpiEvents(from: number, to: number): Promise<KpiEventRow[]>;

  // Reports, events, idempotency
  getReports(caseId: string): Promise<CaseReport[]>;
  getReportByTrackingCode(code: string): Promise<CaseReport | undefined>;
  getReportByAlarmId(alarmId: string): Promise<CaseReport | undefined>;
  /** Oldest first. */
  getEvents(caseId: string): Promise<CaseEvent[]>;
  getIdempotent(key: string): Promise<IdempotentAnswer | undefined>;
  /** Deletes the idempotent answers stored before `before` (ms); returns how many. */
  pruneIdempotent(before: number): Promise<number>;

  // Case photos (checked by server/cases/photos.ts before they get here)
  /** Stores a photo durably; the id is new (a clash is a UniqueViolation). */
  insertPhoto(photo: StoredPhoto): Promise<void>;
  getPhoto(id: string): Promise<StoredPhoto | undefined>;
}

/** Formats the n-th case id. */
export function formatCaseId(n: number): string {
  return `C${String(n).padStart(8, '0')}`;
}
