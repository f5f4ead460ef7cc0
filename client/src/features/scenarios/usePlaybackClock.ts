/**
 * The clock of a result's playback (traffic vehicles, flood water): play and pause, advancing
 * simulated time by wall-clock time × a rate on animation frames until the end, then stopping.
 * The panel's `seek` draws the layer at a time; a drag on the slider calls it directly.
 */
import { onBeforeUnmount, ref } from 'vue';

export function usePlaybackClock(endTime: () => number, rate: () => number, seek: (seconds: number) => void) {
  const playing = ref(false);
  const time = ref(0);
  let frame = 0;
  let lastTick = 0;

  function tick(now: number): void {
    if (!playing.value) return;
    const dtS = lastTick ? (now - lastTick) / 1000 : 0;
    lastTick = now;
    const t = Math.min(endTime(), time.value + dtS * rate());
    time.value = t;
    seek(t);
    if (t >= endTime()) playing.value = false;
    else frame = requestAnimationFrame(tick);
  }

  function toggle(): void {
    playing.value = !playing.value;
    if (!playing.value) return;
    // Play at the end starts over.
    if (time.value >= endTime()) time.value = 0;
    lastTick = 0;
    frame = requestAnimationFrame(tick);
  }

  function stop(): void {
    playing.value = false;
    cancelAnimationFrame(frame);
  }

  onBeforeUnmount(stop);
  return { playing, time, toggle, stop };
}

/** Simulated time as m:ss. */
export function clockText(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
}
