/**
 * The city as the case intake sees it, from the loaded twin: bounds, departments, components,
 * the grid cells (layers/grid-cells.geojson) and the optional dispatch overrides
 * (`<data dir>/dispatch-rules.json`). Reads files once at start.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TwinIndex } from '../twin/TwinIndex';
import type { AlarmPlace } from './alarmIntake';
import { EMPTY_DISPATCH_CONFIG, parseDispatchConfig, type DispatchConfig } from './dispatchRules';
import { GridLocator } from './gridLocator';
import type { IntakePlace } from './intake';

export const DISPATCH_RULES_FILE = 'dispatch-rules.json';

export type CityPlace = IntakePlace & AlarmPlace;

export async function loadCityPlace(twin: TwinIndex, dataDir: string): Promise<CityPlace> {
  const gridFile = path.join(twin.dir, twin.manifest.files.gridCells);
  const grid = new GridLocator(JSON.parse(await readFile(gridFile, 'utf8')) as unknown);
  const dispatch = await loadDispatchConfig(path.join(dataDir, DISPATCH_RULES_FILE));
  return {
    bounds: twin.manifest.bounds,
    departments: twin.departments,
    dispatch,
    component: (code) => twin.componentByCode.get(code),
    gridCodeAt: (lon, lat) => grid.locate(lon, lat),
    pole: (id) => twin.poleById.get(id),
  };
}

async function loadDispatchConfig(file: string): Promise<DispatchConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_DISPATCH_CONFIG;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RangeError(`${file}: not JSON (${(err as Error).message})`);
  }
  return parseDispatchConfig(json, file);
}
