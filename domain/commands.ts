/**
 * Commands the server sends to terminals, their MQTT payloads and the record kept of each
 * (docs/commands.md). Pure: shapes, TypeBox schemas and the rules a command must pass for its
 * terminal type; the server (server/commands/) sends them and follows them to their result.
 *
 *   citytwin/v1/terminals/{id}/commands  server → device, QoS 1, not retained
 *     { "v": 1, "id": "<command id>", "ts": <ms>, "command": "switch", "on": false }
 *   citytwin/v1/terminals/{id}/acks      device → server, QoS 1
 *     { "v": 1, "id": "<command id>", "ts": <ms>, "result": "ok" | "error", "message"?: "…" }
 *
 * A command is `sent`, then `acked` (the device said ok), then `succeeded` once the terminal's
 * state shows the effect (a lamp switched off reports `on: false`); `failed` when the device
 * answered error (or acked but its state never showed the effect); `timed-out` when no ack came
 * after the last retry.
 */
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { DomainError } from './DomainError';
import { PAYLOAD_VERSION } from './payloads';
import { checkTimingPlan, planReadings, TIMING_PLAN_FIELDS, type TimingPlan } from './signalPlans';
import type { TelemetryValues, TerminalType } from './terminals';
import type { Role } from './users';

export const COMMAND_KINDS = ['switch', 'dim', 'preset', 'timing-plan'] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/** What each terminal type obeys. */
export const COMMANDS_BY_TYPE: Readonly<Record<TerminalType, readonly CommandKind[]>> = {
  lamp: ['switch', 'dim'],
  camera: ['preset'],
  'traffic-camera': ['preset'],
  'cover-sensor': [],
  'water-level': [],
  environment: [],
  'signal-controller': ['timing-plan'],
};

/** The parameters each command needs. */
const REQUIRED: Record<CommandKind, readonly string[]> = {
  switch: ['on'],
  dim: ['percent'],
  preset: ['pan', 'tilt', 'zoom'],
  'timing-plan': ['cycleS', 'splitsS', 'offsetS', 'lostTimeS'],
};

/** The request body of a command: the kind and its parameters (ranges here, the fit to the kind in `checkCommand`). */
export const CommandSchema = Type.Object(
  {
    command: Type.Enum(COMMAND_KINDS),
    /** switch: on or off. */
    on: Type.Optional(Type.Boolean()),
    /** dim: light output in percent of full power. */
    percent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    /** preset: pan and tilt in degrees, optical zoom factor. */
    pan: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    tilt: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    zoom: Type.Optional(Type.Number({ minimum: 1, maximum: 40 })),
    /** timing-plan (domain/signalPlans.ts): cycle, each phase's green, offset and the cycle's lost time, seconds. */
    cycleS: Type.Optional(TIMING_PLAN_FIELDS.cycleS),
    splitsS: Type.Optional(TIMING_PLAN_FIELDS.splitsS),
    offsetS: Type.Optional(TIMING_PLAN_FIELDS.offsetS),
    lostTimeS: Type.Optional(TIMING_PLAN_FIELDS.lostTimeS),
  },
  { additionalProperties: false },
);
export type Command = Static<typeof CommandSchema>;

/** A command refused by its rules (kind for the type, a missing or stray parameter, confirm, role, rate). */
export class CommandRuleError extends DomainError {}

/**
 * Checks a command against the terminal type: the kind must be one the type obeys, with exactly
 * its parameters. Returns the command with only those fields; throws CommandRuleError naming
 * the field at fault (`command`, `percent`, …).
 */
export function checkCommand(type: TerminalType, body: Command, where = 'terminal'): Command {
  const kinds = COMMANDS_BY_TYPE[type];
  if (!kinds.includes(body.command)) {
    const allowed = kinds.length ? kinds.join(', ') : 'none';
    throw new CommandRuleError('invalid', `command "${body.command}" does not apply to a ${type} ${where} (a ${type} takes: ${allowed})`, ['command']);
  }
  const required = REQUIRED[body.command];
  const out: Record<string, unknown> = { command: body.command };
  for (const field of required) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined) throw new CommandRuleError('invalid', `${field} is required for "${body.command}"`, [field]);
    out[field] = value;
  }
  for (const field of Object.keys(body)) {
    if (field !== 'command' && !required.includes(field)) {
      throw new CommandRuleError('invalid', `${field} is not a parameter of "${body.command}" (it takes ${required.join(', ')})`, [field]);
    }
  }
  if (body.command === 'timing-plan') checkTimingPlan(out as unknown as TimingPlan);
  return out as Command;
}

/**
 * The readings that show a command took effect, or undefined when the state cannot show it
 * (a camera's preset: its telemetry has no pan or tilt, so its ack is the last word).
 */
export function expectedEffect(command: Command): TelemetryValues | undefined {
  switch (command.command) {
    case 'switch':
      return { on: command.on === true };
    case 'dim':
      return { on: (command.percent ?? 0) > 0, dimmingPct: command.percent ?? 0 };
    case 'preset':
      return undefined;
    case 'timing-plan':
      return planReadings(command as Command & TimingPlan);
  }
}

/** Whether `values` (a terminal's latest readings) show `effect`. */
export function showsEffect(values: TelemetryValues, effect: TelemetryValues): boolean {
  for (const [field, want] of Object.entries(effect)) {
    const got = values[field];
    if (typeof want === 'number' ? typeof got !== 'number' || Math.abs(got - want) > 0.5 : got !== want) return false;
  }
  return true;
}

// --- MQTT payloads -------------------------------------------------------------------------------

/** What the server publishes on a terminal's command topic. */
export type CommandMessage = { v: typeof PAYLOAD_VERSION; id: string; ts: number } & Command;

export const ACK_RESULTS = ['ok', 'error'] as const;
export type AckResult = (typeof ACK_RESULTS)[number];

export const AckPayload = Type.Object(
  {
    v: Type.Literal(PAYLOAD_VERSION),
    id: Type.String({ minLength: 1, maxLength: 64 }),
    ts: Type.Integer({ minimum: 0 }),
    result: Type.Enum(ACK_RESULTS),
    message: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type AckPayload = Static<typeof AckPayload>;
const ackCheck = Compile(AckPayload);

/** Parses an ack, or returns undefined for anything that is not one (it is then counted and dropped). */
export function parseAck(payload: Buffer | string): AckPayload | undefined {
  if (payload.length > 1024) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload.toString());
  } catch {
    return undefined;
  }
  return ackCheck.Check(value) ? (value as AckPayload) : undefined;
}

// --- the record ----------------------------------------------------------------------------------

export const COMMAND_STATUSES = ['sent', 'acked', 'succeeded', 'failed', 'timed-out'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];
/** Statuses a command never leaves. */
export const FINAL_COMMAND_STATUSES: readonly CommandStatus[] = ['succeeded', 'failed', 'timed-out'];

/** Who issued a command: an operator or the lamp scheduler. */
export interface CommandIssuer {
  userId: string;
  username: string;
  role: Role | 'scheduler';
}

/** One command to one terminal, as stored: the audit trail of who sent what, when, and what came of it. */
export interface CommandRecord {
  id: string;
  terminalId: string;
  terminalType: TerminalType;
  command: Command;
  status: CommandStatus;
  issuedBy: CommandIssuer;
  /** The group command it was part of, when it was. */
  groupId?: string;
  /** The server instance that sent it and follows it until it is final. */
  instanceId?: string;
  createdAt: number;
  updatedAt: number;
  /** Times it was published: 1, and one more per retry. */
  attempts: number;
  /** The device's error, or why it timed out. */
  message?: string;
  /** Every status with when it was reached, oldest first. */
  history: Array<{ status: CommandStatus; at: number }>;
}

const IssuerSchema = Type.Object({ userId: Type.String(), username: Type.String(), role: Type.String() });

export const CommandRecordSchema = Type.Object({
  id: Type.String(),
  terminalId: Type.String(),
  terminalType: Type.String(),
  command: CommandSchema,
  status: Type.Enum(COMMAND_STATUSES),
  issuedBy: IssuerSchema,
  groupId: Type.Optional(Type.String()),
  instanceId: Type.Optional(Type.String()),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  attempts: Type.Integer(),
  message: Type.Optional(Type.String()),
  history: Type.Array(Type.Object({ status: Type.Enum(COMMAND_STATUSES), at: Type.Number() })),
});

// --- group commands ------------------------------------------------------------------------------

/** Above this many terminals a group command needs `"confirm": true`. */
export const CONFIRM_ABOVE = 50;
/** The largest group one request may address. */
export const MAX_GROUP_TERMINALS = 20_000;

/** Which terminals a group command goes to: exactly one of these. */
export const GroupTargetSchema = Type.Object(
  {
    terminalIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: MAX_GROUP_TERMINALS })),
    poleIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: MAX_GROUP_TERMINALS })),
    roadId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    gridCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** With the others: only terminals of this type among them; alone: every terminal of the type. */
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
);
export type GroupTarget = Static<typeof GroupTargetSchema>;

export const GroupCommandSchema = Type.Object(
  {
    target: GroupTargetSchema,
    command: CommandSchema,
    confirm: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type GroupCommand = Static<typeof GroupCommandSchema>;

export const GroupCommandAnswerSchema = Type.Object({
  groupId: Type.String(),
  count: Type.Integer(),
  commands: Type.Array(CommandRecordSchema),
});
export type GroupCommandAnswer = Static<typeof GroupCommandAnswerSchema>;

/** Roles that may command any terminal; a handler may command the types of their department. */
export const COMMAND_ROLES: readonly Role[] = ['admin', 'dispatcher'];
/** Roles that reach the command routes at all (the rest are refused before the body is read). */
export const COMMAND_ISSUER_ROLES: readonly Role[] = [...COMMAND_ROLES, 'handler'];

/** One command in the live stream's `command` event: enough for a panel to show its status. */
export type CommandUpdate = Pick<CommandRecord, 'id' | 'terminalId' | 'command' | 'status' | 'createdAt' | 'updatedAt' | 'groupId' | 'message'>;

/** The live-stream payload of the `command` event: the commands that changed since the last one. */
export interface CommandEventData {
  commands: CommandUpdate[];
}

/** Whether a user may command a terminal of `type`: admins and dispatchers always, handlers for their department's types. */
export function mayCommand(
  user: { role: Role; departmentId?: string },
  type: TerminalType,
  departmentTypes: (departmentId: string) => readonly TerminalType[] | undefined,
): boolean {
  if (COMMAND_ROLES.includes(user.role)) return true;
  if (user.role !== 'handler' || !user.departmentId) return false;
  return departmentTypes(user.departmentId)?.includes(type) ?? false;
}
