/** The energy API (docs/energy.md): one lamp's days (public), the city's days and one day per group (KPI roles). */
import type { EnergyDays, EnergyGroupBy, LampEnergy } from '../../../../domain/energy';
import { getJson } from '../../shared/http';

export const energyApi = {
  lamp: (terminalId: string, days: number, signal?: AbortSignal) => getJson<EnergyDays>(`/api/terminals/${encodeURIComponent(terminalId)}/energy?days=${days}`, signal),
  cityDays: (days: number, signal?: AbortSignal) => getJson<EnergyDays>(`/api/energy/days?days=${days}`, signal),
  byGroup: (groupBy: EnergyGroupBy, day?: string, signal?: AbortSignal) =>
    getJson<LampEnergy>(`/api/energy/lamps?groupBy=${groupBy}${day ? `&day=${day}` : ''}`, signal),
};
