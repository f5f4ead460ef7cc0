/** The command API (docs/commands.md): one terminal, or a group (a road's lamps) with confirm. */
import type { Command, CommandRecord, GroupCommandAnswer, GroupTarget } from '../../../../domain/commands';
import { sendJson } from '../../shared/http';

export function sendTerminalCommand(terminalId: string, command: Command): Promise<CommandRecord> {
  return sendJson<CommandRecord>('POST', `/api/terminals/${encodeURIComponent(terminalId)}/commands`, command);
}

export function sendGroupCommand(target: GroupTarget, command: Command, confirm: boolean): Promise<GroupCommandAnswer> {
  return sendJson<GroupCommandAnswer>('POST', '/api/commands', { target, command, ...(confirm ? { confirm: true } : {}) });
}

/** Timing plans for junctions, each to its controller, as one group (a green wave applied). */
export function sendSignalPlans(plans: ReadonlyArray<{ signalId: string; cycleS: number; splitsS: number[]; offsetS: number; lostTimeS: number }>): Promise<GroupCommandAnswer> {
  return sendJson<GroupCommandAnswer>('POST', '/api/commands/signal-plans', { plans, confirm: true });
}
