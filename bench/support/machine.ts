/**
 * Where and when a benchmark ran, recorded with its figures: absolute numbers only mean
 * something next to the machine, and the load average shows how shared the machine was.
 */
import os from 'node:os';

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started (other work on the machine). */
  loadAvg1m: number;
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAvg1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function loadAvg1m(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}
