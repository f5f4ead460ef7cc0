/** The lamp-schedule editor's form (client/src/features/commands/core/scheduleForm.ts): to the API's body and back; errors name the step. */
import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { LampScheduleInputSchema } from '../../domain/lampSchedules';
import { emptyForm, formOf, inputOf } from '../../client/src/features/commands/core/scheduleForm';

describe('scheduleForm', () => {
  it("makes a body the API's schema accepts, and reads it back the same", () => {
    const form = { ...emptyForm(), name: 'Seafront', scope: 'road' as const, scopeId: 'R001', onOffsetMin: -10, offOffsetMin: 15, dimming: '23:00 50 , 01:30 30%' };
    const body = inputOf(form);
    expect(body).toEqual({ name: 'Seafront', target: { roadId: 'R001', type: 'lamp' }, onOffsetMin: -10, offOffsetMin: 15, dimming: [{ at: '23:00', percent: 50 }, { at: '01:30', percent: 30 }], enabled: true });
    expect(Compile(LampScheduleInputSchema).Check(body)).toBe(true);
    if ('error' in body) return;
    expect(formOf({ ...body, id: 'x', updatedAt: 0 })).toEqual({ ...form, dimming: '23:00 50, 01:30 30' });
  });

  it('names the dimming step at fault and a missing road', () => {
    expect(inputOf({ ...emptyForm(), name: 'x', dimming: '23:00 50, 25:00 30' })).toEqual({ error: 'dimming step 2 "25:00 30": write HH:MM and a percent 0–100, e.g. 23:00 50' });
    expect(inputOf({ ...emptyForm(), name: 'x', dimming: '23:00 150' })).toMatchObject({ error: expect.stringMatching(/^dimming step 1/) });
    expect(inputOf({ ...emptyForm(), name: 'x', scope: 'road' })).toEqual({ error: 'road id is required' });
    expect(inputOf({ ...emptyForm(), name: 'all', dimming: '' })).toMatchObject({ target: { type: 'lamp' }, dimming: [] });
  });
});
