/**
 * How many cores are free now: the machine's cores less the 1-minute load average, at least one.
 *
 * Lock-step solvers (the flood model's threads meet at a barrier every step) run at the pace of
 * their slowest thread: a thread that shares its core with other work stalls all of them, so on a
 * busy machine two threads can be slower than one (measured: 2.7× slower at load 15–25 on two
 * cores). Defaults that start such threads ask this instead of counting cores.
 */
import { availableParallelism, loadavg } from 'node:os';

export function idleCores(cores = availableParallelism(), load1 = loadavg()[0] ?? 0): number {
  const free = Math.floor(cores - load1 + 0.5);
  return Math.max(1, Math.min(cores, free));
}
