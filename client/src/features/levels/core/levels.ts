/**
 * The twin's five levels of detail and the layers each one shows. Pure rules, no engine: the
 * scene applies what `layerVisibility` answers, the layer tree lists what `layerTree` answers.
 *
 *   L1 terrain and water · L2 white models · L3 textured architecture · L4 urban components ·
 *   L5 building interiors (on selecting a building)
 */
import { interiorFileName } from '../../../../../domain/interiorFile';
import type { BuildingRecord, TwinManifest } from '../../../../../domain/twinPackage';

export const LEVELS = ['L1', 'L2', 'L3', 'L4', 'L5'] as const;
export type Level = (typeof LEVELS)[number];

export const LAYER_IDS = [
  'terrain',
  'whiteModels',
  'architecture',
  'components',
  'interiors',
  'poles',
  'alarms',
  'gridCells',
  'roads',
  'pipes',
] as const;
export type LayerId = (typeof LAYER_IDS)[number];

/** The level each layer first appears at; overlays (poles, alarms, grid, roads) are level-free. */
const LAYER_LEVEL: Record<LayerId, Level | null> = {
  terrain: 'L1',
  whiteModels: 'L2',
  architecture: 'L3',
  components: 'L4',
  interiors: 'L5',
  poles: null,
  alarms: null,
  gridCells: null,
  roads: null,
  // Underground networks are an overlay: shown at any level when switched on (the underground mode does).
  pipes: null,
};

/** Which package files the twin has for the levels that depend on optional outputs. */
export interface LevelFiles {
  architectureTileset: string | null;
  componentsTileset: string | null;
  interiors: string | null;
  /** L4 underground networks (features/underground). */
  pipesTileset: string | null;
}

export function levelFiles(manifest: Pick<TwinManifest, 'files'>): LevelFiles {
  return {
    architectureTileset: manifest.files.architectureTileset ?? null,
    componentsTileset: manifest.files.componentsTileset ?? null,
    interiors: manifest.files.interiors ?? null,
    pipesTileset: manifest.files.pipesTileset ?? null,
  };
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function levelIndex(level: Level): number {
  return LEVELS.indexOf(level);
}

/**
 * Whether a layer is drawn at a level, given the user's layer toggles. Buildings are drawn once:
 * from L3 up the textured architecture replaces the white models when the package has it, so
 * the two never z-fight; without it the white models stay.
 */
export function layerVisibility(
  level: Level,
  toggles: Readonly<Record<LayerId, boolean>>,
  files: LevelFiles,
): Record<LayerId, boolean> {
  const at = levelIndex(level);
  const reached = (id: LayerId): boolean => {
    const first = LAYER_LEVEL[id];
    return first === null || at >= levelIndex(first);
  };
  const architectureShown = reached('architecture') && files.architectureTileset !== null && toggles.architecture;
  const result = {} as Record<LayerId, boolean>;
  for (const id of LAYER_IDS) result[id] = reached(id) && toggles[id];
  result.architecture = architectureShown;
  result.whiteModels = result.whiteModels && !architectureShown;
  return result;
}

export function defaultToggles(): Record<LayerId, boolean> {
  return { terrain: true, whiteModels: true, architecture: true, components: true, interiors: true, poles: true, alarms: true, gridCells: false, roads: false, pipes: false };
}

/** How a level's content is sourced in this twin: from its package file, or the project's fallback. */
export type LevelSource = 'package' | 'fallback' | 'none';

export function levelSource(level: Level, files: LevelFiles): LevelSource {
  switch (level) {
    case 'L1':
    case 'L2':
      return 'package';
    case 'L3':
      // Without L3 tiles the white models stay, shaded by the environment's sun and season.
      return files.architectureTileset ? 'package' : 'fallback';
    case 'L4':
      // Without the instanced tileset components are drawn as point primitives from layers/components.json.
      return files.componentsTileset ? 'package' : 'fallback';
    case 'L5':
      // Without interiors a schematic interior is derived from the building's floors and footprint.
      return files.interiors ? 'package' : 'fallback';
  }
}

/**
 * `interiors/{buildingId}.glb` → the file for one building, the id put in as its file name
 * (`way/360099726` → `interiors/way~2F360099726.glb`, domain/interiorFile.ts).
 */
export function interiorPath(template: string, buildingId: string): string {
  if (!template.includes('{buildingId}')) throw new Error(`interiors path template "${template}" lacks {buildingId}`);
  return template.replaceAll('{buildingId}', interiorFileName(buildingId));
}

/**
 * The package path of a building's L5 interior, or null for the schematic: every building the
 * index marks (`interior: true`: a file the build wrote, or one the server makes from its plan).
 */
export function interiorPathOf(files: Pick<LevelFiles, 'interiors'>, building: Pick<BuildingRecord, 'id' | 'interior'>): string | null {
  return files.interiors && building.interior ? interiorPath(files.interiors, building.id) : null;
}
