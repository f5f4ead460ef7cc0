/**
 * The lamp-schedule editor's form (LampSchedulesPanel.vue), pure: which lamps (every lamp, a road,
 * a grid cell) and the night dimming profile written as `23:00 50, 01:00 30`, to and from the
 * API's schedule (domain/lampSchedules.ts). Parse errors name the step at fault.
 */
import type { LampSchedule, LampScheduleInput } from '../../../../../domain/lampSchedules';

export type ScheduleScope = 'all' | 'road' | 'grid';

export interface ScheduleForm {
  name: string;
  scope: ScheduleScope;
  /** The road id or grid code for `road` / `grid`. */
  scopeId: string;
  onOffsetMin: number;
  offOffsetMin: number;
  dimming: string;
  enabled: boolean;
}

export const emptyForm = (): ScheduleForm => ({ name: '', scope: 'all', scopeId: '', onOffsetMin: 0, offOffsetMin: 0, dimming: '23:00 50, 01:00 30', enabled: true });

export function formOf(s: LampSchedule): ScheduleForm {
  const scope: ScheduleScope = s.target.roadId ? 'road' : s.target.gridCode ? 'grid' : 'all';
  return {
    name: s.name,
    scope,
    scopeId: s.target.roadId ?? s.target.gridCode ?? '',
    onOffsetMin: s.onOffsetMin,
    offOffsetMin: s.offOffsetMin,
    dimming: s.dimming.map((d) => `${d.at} ${d.percent}`).join(', '),
    enabled: s.enabled,
  };
}

/** The API body of a form, or an error message naming what is wrong. */
export function inputOf(form: ScheduleForm): LampScheduleInput | { error: string } {
  const dimming: LampScheduleInput['dimming'] = [];
  const steps = form.dimming.split(',').map((s) => s.trim()).filter(Boolean);
  for (const [i, step] of steps.entries()) {
    const m = /^([01]\d|2[0-3]):([0-5]\d)\s+(\d{1,3})\s*%?$/.exec(step);
    if (!m || Number(m[3]) > 100) return { error: `dimming step ${i + 1} "${step}": write HH:MM and a percent 0–100, e.g. 23:00 50` };
    dimming.push({ at: `${m[1]}:${m[2]}`, percent: Number(m[3]) });
  }
  if (form.scope !== 'all' && !form.scopeId.trim()) return { error: `${form.scope === 'road' ? 'road id' : 'grid code'} is required` };
  const target = form.scope === 'road' ? { roadId: form.scopeId.trim(), type: 'lamp' } : form.scope === 'grid' ? { gridCode: form.scopeId.trim(), type: 'lamp' } : { type: 'lamp' };
  return { name: form.name.trim(), target, onOffsetMin: form.onOffsetMin, offOffsetMin: form.offOffsetMin, dimming, enabled: form.enabled };
}
