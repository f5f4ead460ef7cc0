import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { TourStopId } from './core/tour';

/** Exhibition mode's state as the screen shows it; the tour director drives it. */
export const useTourStore = defineStore('tour', () => {
  const active = ref(false);
  const stop = ref<TourStopId | null>(null);
  const paused = ref(false);
  const visits = ref(0);

  function report(next: { stop: TourStopId | null; paused: boolean; visits: number }): void {
    stop.value = next.stop;
    paused.value = next.paused;
    visits.value = next.visits;
  }

  return { active, stop, paused, visits, report };
});
