/**
 * What the operator is watching: the live views opened from a camera (pole panel, camera list)
 * and the video patrol (轮巡) — its cameras, wall size, interval, current page, and whether an
 * arc-screen wing shows the wall.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { MIN_PATROL_INTERVAL_S, pageCount, wallPage, type WallSize } from './core/patrol';

/** Live views open at once (each is a stream the server encodes). */
export const MAX_LIVE_VIEWS = 4;

export const useVideoStore = defineStore('video', () => {
  const liveIds = ref<string[]>([]);

  function watch(cameraId: string): void {
    liveIds.value = [cameraId, ...liveIds.value.filter((id) => id !== cameraId)].slice(0, MAX_LIVE_VIEWS);
  }
  function unwatch(cameraId: string): void {
    liveIds.value = liveIds.value.filter((id) => id !== cameraId);
  }

  const patrolIds = ref<string[]>([]);
  const wallSize = ref<WallSize>(4);
  const intervalS = ref(20);
  const page = ref(0);
  const running = ref(false);
  const wing = ref<'left' | 'right' | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;

  const pageIds = computed(() => wallPage(patrolIds.value, wallSize.value, page.value));
  const pages = computed(() => pageCount(patrolIds.value.length, wallSize.value));

  function startPatrol(ids: readonly string[], size: WallSize, everyS: number): void {
    stopPatrol();
    patrolIds.value = [...ids];
    wallSize.value = size;
    intervalS.value = Math.max(MIN_PATROL_INTERVAL_S, everyS);
    page.value = 0;
    running.value = ids.length > 0;
    if (running.value && pages.value > 1) timer = setInterval(next, intervalS.value * 1000);
  }
  function next(): void {
    page.value = (page.value + 1) % pages.value;
  }
  function stopPatrol(): void {
    if (timer) clearInterval(timer);
    timer = undefined;
    running.value = false;
    wing.value = null;
  }

  return { liveIds, watch, unwatch, patrolIds, wallSize, intervalS, page, pages, pageIds, running, wing, startPatrol, next, stopPatrol };
});
