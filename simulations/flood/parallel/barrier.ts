/**
 * A reusable barrier for worker threads over two Int32 words in shared memory:
 * [0] threads arrived, [1] generation. The last thread to arrive resets the count and bumps the
 * generation; the others spin briefly (a step of a stripe is short, and a futex sleep and wake
 * costs tens of microseconds) and then sleep on the generation word with Atomics.wait.
 * Atomics give the ordering: every write before the barrier is visible after it.
 */

const ARRIVED = 0;
const GENERATION = 1;
const SPINS = 4096;

export function barrierWait(words: Int32Array, parties: number): void {
  const generation = Atomics.load(words, GENERATION);
  if (Atomics.add(words, ARRIVED, 1) === parties - 1) {
    Atomics.store(words, ARRIVED, 0);
    Atomics.add(words, GENERATION, 1);
    Atomics.notify(words, GENERATION);
    return;
  }
  for (let i = 0; i < SPINS; i++) if (Atomics.load(words, GENERATION) !== generation) return;
  while (Atomics.load(words, GENERATION) === generation) Atomics.wait(words, GENERATION, generation);
}
