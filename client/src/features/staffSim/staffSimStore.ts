/**
 * Whether simulated operations staff work this twin's cases (GET /api/staff-sim, docs/staff-sim.md),
 * so the shell can label the demo. Asked once at start; the answer does not change while the
 * server runs.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StaffSimStatus } from '../../../../domain/staffSim';
import { getJson } from '../../shared/http';

export const useStaffSimStore = defineStore('staffSim', () => {
  const status = ref<StaffSimStatus | null>(null);

  async function load(): Promise<void> {
    try {
      status.value = await getJson<StaffSimStatus>('/api/staff-sim');
    } catch {
      // An older server without the route, or offline: no badge.
      status.value = null;
    }
  }

  return { status, load };
});
