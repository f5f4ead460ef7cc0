/**
 * Replay: the whole twin at a past moment. The store fetches history snapshots and hands them to
 * the live store, whose layers (poles, alarms, counters) draw them as they draw the live state;
 * live deltas wait meanwhile. Playing forward fetches the next snapshot on the cadence in
 * core/replay.ts (whole snapshots, one at a time, at most one a second). `?at=` in the URL
 * follows the moment shown, so a copied address reopens it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useLiveStore } from '../live/liveStore';
import { historyApi } from './historyApi';
import { REPLAY_SPAN_MS, ReplayClock, replayCounters, snapshotDue, type ReplaySpeed } from './core/replay';

const TICK_MS = 250;

export const useReplayStore = defineStore('replay', () => {
  const live = useLiveStore();
  /** The moment the clock is at (what the slider shows); `shownAt` is that of the snapshot drawn. */
  const at = ref<number | null>(null);
  const shownAt = computed(() => live.replayAt);
  const playing = ref(false);
  const speed = ref<ReplaySpeed>(1);
  const error = ref('');
  const active = computed(() => at.value !== null);

  let clock: ReplayClock | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let inFlight: AbortController | undefined;
  let lastRequestWall: number | null = null;
  /** Bumped by every seek, so a snapshot fetched for an older position is not drawn over a newer one. */
  let generation = 0;

  const span = (): { from: number; to: number } => ({ from: Date.now() - REPLAY_SPAN_MS, to: Date.now() });

  async function fetchSnapshot(moment: number): Promise<void> {
    inFlight?.abort();
    const controller = (inFlight = new AbortController());
    const mine = generation;
    lastRequestWall = Date.now();
    try {
      const snapshot = await historyApi.snapshot(Math.round(moment), controller.signal);
      if (mine !== generation || at.value === null) return;
      live.showReplay(snapshot, replayCounters(snapshot, live.counters));
      error.value = '';
      writeUrl(snapshot.at);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') error.value = (err as Error).message;
    } finally {
      if (inFlight === controller) inFlight = undefined;
    }
  }

  function tick(): void {
    if (!clock) return;
    const wall = Date.now();
    const moment = clock.at(wall, wall);
    at.value = moment;
    if (moment >= wall) {
      // Played up to the present: the live view takes over.
      returnToLive();
      return;
    }
    if (playing.value && snapshotDue(inFlight !== undefined, lastRequestWall, wall)) void fetchSnapshot(moment);
  }

  /** Shows the twin at `moment` (ms), paused there unless it was playing. */
  function seek(moment: number): void {
    const wall = Date.now();
    const bounded = Math.min(Math.max(moment, span().from), wall);
    clock ??= new ReplayClock(bounded, wall);
    clock.seek(bounded, wall);
    at.value = bounded;
    generation++;
    timer ??= setInterval(tick, TICK_MS);
    void fetchSnapshot(bounded);
  }

  function play(next: ReplaySpeed): void {
    if (!clock) return;
    clock.play(next, Date.now());
    speed.value = next;
    playing.value = true;
  }

  function pause(): void {
    clock?.pause(Date.now());
    playing.value = false;
  }

  function returnToLive(): void {
    clearInterval(timer);
    timer = undefined;
    inFlight?.abort();
    inFlight = undefined;
    clock = undefined;
    generation++;
    at.value = null;
    playing.value = false;
    error.value = '';
    writeUrl(null);
    live.resumeLive();
  }

  return { at, shownAt, playing, speed, error, active, span, seek, play, pause, returnToLive };
});

function writeUrl(moment: number | null): void {
  const url = new URL(location.href);
  if (moment === null) url.searchParams.delete('at');
  else url.searchParams.set('at', new Date(moment).toISOString());
  history.replaceState(history.state, '', url);
}
