/**
 * Which terminals a group command addresses (domain/commands.ts GroupTarget): terminal ids, the
 * terminals of some poles, of a road, of a grid cell, or every terminal of a type — exactly one
 * of these, optionally narrowed to a `type`. Unknown ids are refused by name, not skipped.
 */
import { CommandRuleError, type GroupTarget } from '../../domain/commands';
import { TERMINAL_TYPES, type TerminalType } from '../../domain/terminals';
import type { PoleRecord, TerminalRecord } from '../../domain/twinPackage';

export interface TargetTwin {
  readonly poles: readonly PoleRecord[];
  readonly terminals: readonly TerminalRecord[];
  readonly poleById: ReadonlyMap<string, PoleRecord>;
  readonly terminalById: ReadonlyMap<string, TerminalRecord>;
  terminalsOf(poleId: string): readonly TerminalRecord[];
}

export function resolveTarget(target: GroupTarget, twin: TargetTwin): TerminalRecord[] {
  const given = (['terminalIds', 'poleIds', 'roadId', 'gridCode'] as const).filter((k) => target[k] !== undefined);
  if (given.length > 1) throw new CommandRuleError('invalid', `target takes one of terminalIds, poleIds, roadId, gridCode (got ${given.join(' and ')})`, [`target/${given[1]}`]);
  const type = target.type;
  if (type !== undefined && !(TERMINAL_TYPES as readonly string[]).includes(type)) {
    throw new CommandRuleError('invalid', `target type "${type}" is not a terminal type (${TERMINAL_TYPES.join(', ')})`, ['target/type']);
  }
  if (given.length === 0 && type === undefined) throw new CommandRuleError('invalid', 'target names no terminals: give terminalIds, poleIds, roadId, gridCode or type', ['target']);
  const ofPoles = (poles: readonly PoleRecord[]): TerminalRecord[] => poles.flatMap((p) => twin.terminalsOf(p.id));
  let terminals: TerminalRecord[];
  if (target.terminalIds) {
    terminals = target.terminalIds.map((id, i) => {
      const t = twin.terminalById.get(id);
      if (!t) throw new CommandRuleError('not-found', `target terminalIds[${i}]: terminal "${id}" is not in this twin`, [`target/terminalIds/${i}`]);
      return t;
    });
  } else if (target.poleIds) {
    terminals = ofPoles(
      target.poleIds.map((id, i) => {
        const p = twin.poleById.get(id);
        if (!p) throw new CommandRuleError('not-found', `target poleIds[${i}]: pole "${id}" is not in this twin`, [`target/poleIds/${i}`]);
        return p;
      }),
    );
  } else if (target.roadId !== undefined) {
    const poles = twin.poles.filter((p) => p.roadId === target.roadId);
    if (poles.length === 0) throw new CommandRuleError('not-found', `target roadId: no poles stand along road "${target.roadId}"`, ['target/roadId']);
    terminals = ofPoles(poles);
  } else if (target.gridCode !== undefined) {
    const poles = twin.poles.filter((p) => p.gridCode === target.gridCode);
    if (poles.length === 0) throw new CommandRuleError('not-found', `target gridCode: no poles stand in grid cell "${target.gridCode}"`, ['target/gridCode']);
    terminals = ofPoles(poles);
  } else {
    terminals = [...twin.terminals];
  }
  if (type !== undefined) terminals = terminals.filter((t) => t.type === (type as TerminalType));
  // Each terminal once, even if named twice.
  return [...new Map(terminals.map((t) => [t.id, t])).values()];
}
