/**
 * Writes a traffic result as the files the CLI and the server's scenarios share: vehicles.csv
 * (or vehicles.json), links.json, intersections.json, od.json and summary.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TrafficResult, VehicleRecord } from './runTraffic';

const VEHICLE_COLUMNS: Array<keyof VehicleRecord> = ['id', 'from', 'to', 'depart', 'inserted', 'arrival', 'travelTimeSeconds', 'delaySeconds', 'stops'];

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(Math.round(v * 1000) / 1000);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function vehiclesCsv(vehicles: readonly VehicleRecord[]): string {
  const rows = vehicles.map((r) => VEHICLE_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${VEHICLE_COLUMNS.join(',')}\n${rows.join('\n')}\n`;
}

/** Writes the result files into `dir`; returns their names. */
export async function writeTrafficOutputs(dir: string, result: TrafficResult, vehicleFormat: 'csv' | 'json' = 'csv'): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {
    [`vehicles.${vehicleFormat}`]: vehicleFormat === 'csv' ? vehiclesCsv(result.vehicles) : JSON.stringify(result.vehicles),
    'links.json': JSON.stringify(result.links),
    'intersections.json': JSON.stringify(result.intersections, null, 1),
    'od.json': JSON.stringify(result.odTravelTimes),
    'summary.json': JSON.stringify(result.summary, null, 2) + '\n',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return Object.keys(files);
}
