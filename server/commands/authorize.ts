/**
 * The command permission on the routed path: admins and dispatchers command any terminal,
 * handlers the terminal types their department answers for (the twin's departments table,
 * `terminalTypes`: a lamp → street lighting); everyone else is refused before anything changes.
 */
import { CommandRuleError, mayCommand } from '../../domain/commands';
import type { TerminalType } from '../../domain/terminals';
import type { DepartmentRecord } from '../../domain/twinPackage';
import type { User } from '../../domain/users';

export function assertMayCommand(user: User, types: Iterable<TerminalType>, departmentById: ReadonlyMap<string, DepartmentRecord>): void {
  const typesOf = (id: string): readonly TerminalType[] | undefined => departmentById.get(id)?.terminalTypes;
  for (const type of new Set(types)) {
    if (!mayCommand(user, type, typesOf)) {
      const why = user.role === 'handler' ? `department ${user.departmentId ?? '(none)'} does not answer for ${type} terminals` : `role ${user.role} may not send commands`;
      throw new CommandRuleError('forbidden', `${why}: admins, dispatchers and handlers of the department that owns the terminal type may`);
    }
  }
}
