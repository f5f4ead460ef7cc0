/**
 * The department an alarm falls to, by the same rules that dispatch the case it opens
 * (server/cases/alarmIntake.ts → intake.ts `locate` → dispatchRules.ts), so alarm history grouped
 * by department agrees with the cases. Undefined for an alarm that opens no case.
 */
import type { Alarm } from '../../domain/live';
import { alarmToIntake } from '../cases/alarmIntake';
import type { CityPlace } from '../cases/cityPlace';
import { locate } from '../cases/intake';

export function alarmDepartment(place: CityPlace): (alarm: Alarm) => string | undefined {
  return (alarm) => {
    const input = alarmToIntake(alarm, place);
    if ('skip' in input) return undefined;
    try {
      return locate(input, place).suggestedDepartmentId;
    } catch {
      return undefined;
    }
  };
}
