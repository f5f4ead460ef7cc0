/**
 * CPU time of other processes (server instances, the broker) from Linux's /proc, for the scale
 * benchmark: it starts them as child processes it does not otherwise look inside, so it finds
 * each by its command line and reads utime + stime from /proc/<pid>/stat.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (100 on nearly every Linux). */
const TICKS_PER_S = ((): number => {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return n > 0 ? n : 100;
  } catch {
    return 100;
  }
})();

/** The process whose arguments contain `args` one after another, or undefined (also off Linux). */
export function findProcess(args: readonly string[]): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    for (let i = 0; i + args.length <= argv.length; i++) {
      if (args.every((a, k) => argv[i + k] === a)) return Number(entry);
    }
  }
  return undefined;
}

/** User + system CPU seconds the process has used so far; NaN when it cannot be read. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** This process's own CPU seconds. */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds the whole machine has been busy (all cores, all processes) so far; NaN off Linux. */
export function machineBusySeconds(): number {
  try {
    // First line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal …" in ticks.
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}
