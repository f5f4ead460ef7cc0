/**
 * The page's URL parameters, validated once at start. A bad value is reported by name and
 * ignored (the page still opens), so a typo on a wall screen never leaves it black.
 */
import { isLevel, type Level } from '../../features/levels/core/levels';
import type { LayoutMode } from '../../features/screens/core/arcLayout';
import { parseReplayAt } from '../../features/history/core/replay';

export type ComponentRenderer = 'primitive' | 'entity';

export interface UrlOptions {
  msaa: number | undefined;
  level: Level | undefined;
  layout: LayoutMode;
  resolutionScale: number;
  tour: boolean;
  /** Synthetic components added around the city (tests and benchmarks), on top of the twin's own. */
  components: number;
  /** Synthetic live devices (poles) added around the city. */
  devices: number;
  componentRenderer: ComponentRenderer;
  /** Seconds without input before a paused tour resumes. */
  tourIdleS: number;
  /** Seconds per tour stop. */
  tourStopS: number;
  view: '3d' | '2d';
  /** Extra 3D Tiles (1.0 or 1.1) shown at every level: same-origin URLs of their tileset.json. */
  tilesets: string[];
  /** Fly to the first extra tileset once it has loaded. */
  tilesetFly: boolean;
  /** `?at=<ISO time>`: open replaying the twin at this past moment (ms since the epoch). */
  replayAt: number | undefined;
  errors: string[];
}

/** Each extra tileset costs GPU memory and requests; a wall screen never needs more. */
export const MAX_EXTRA_TILESETS = 8;

/**
 * `?tileset=` values as absolute URLs on the page's own origin. Another host is refused: the
 * operation centre runs offline, and a tileset from elsewhere would also leak the view.
 */
function tilesetParams(params: URLSearchParams, origin: string, errors: string[]): string[] {
  const urls: string[] = [];
  for (const raw of params.getAll('tileset')) {
    let url: URL;
    try {
      url = new URL(raw, origin);
    } catch {
      errors.push(`?tileset=${raw}: not a URL`);
      continue;
    }
    if (url.origin !== origin) errors.push(`?tileset=${raw}: only tilesets served by this server (same origin) are allowed`);
    else if (urls.length >= MAX_EXTRA_TILESETS) errors.push(`?tileset=${raw}: at most ${MAX_EXTRA_TILESETS} tilesets`);
    else urls.push(url.href);
  }
  return urls;
}

/** Enough for the 1,000,000 components and 10,000 devices, with headroom, not more. */
export const MAX_SYNTHETIC_COMPONENTS = 2_000_000;
export const MAX_SYNTHETIC_DEVICES = 50_000;

function intParam(params: URLSearchParams, name: string, min: number, max: number, errors: string[]): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min || value > max) {
    errors.push(`?${name}=${raw}: expected an integer from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

function numberParam(params: URLSearchParams, name: string, min: number, max: number, errors: string[]): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    errors.push(`?${name}=${raw}: expected a number from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

function choiceParam<T extends string>(params: URLSearchParams, name: string, choices: readonly T[], errors: string[]): T | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  errors.push(`?${name}=${raw}: expected one of ${choices.join(', ')}`);
  return undefined;
}

/** `origin` is the page's own (location.origin); `?tileset=` URLs must share it. */
export function parseUrlOptions(search: string, origin = 'http://localhost', now = Date.now()): UrlOptions {
  const params = new URLSearchParams(search);
  const errors: string[] = [];
  const atRaw = params.get('at');
  const replay = atRaw === null ? undefined : parseReplayAt(atRaw, now);
  if (replay && 'error' in replay) errors.push(replay.error);
  const levelRaw = params.get('level');
  let level: Level | undefined;
  if (levelRaw !== null) {
    const normalised = levelRaw.toUpperCase().startsWith('L') ? levelRaw.toUpperCase() : `L${levelRaw}`;
    if (isLevel(normalised)) level = normalised;
    else errors.push(`?level=${levelRaw}: expected L1 to L5`);
  }
  return {
    msaa: intParam(params, 'msaa', 1, 8, errors),
    level,
    layout: choiceParam(params, 'layout', ['auto', 'standard', 'arc'] as const, errors) ?? 'auto',
    resolutionScale: numberParam(params, 'resolutionScale', 0.1, 2, errors) ?? 1,
    tour: choiceParam(params, 'mode', ['tour', 'normal'] as const, errors) === 'tour',
    components: intParam(params, 'components', 0, MAX_SYNTHETIC_COMPONENTS, errors) ?? 0,
    devices: intParam(params, 'devices', 0, MAX_SYNTHETIC_DEVICES, errors) ?? 0,
    componentRenderer: choiceParam(params, 'componentRenderer', ['primitive', 'entity'] as const, errors) ?? 'primitive',
    tourIdleS: numberParam(params, 'tourIdle', 1, 3600, errors) ?? 30,
    tourStopS: numberParam(params, 'tourStop', 1, 600, errors) ?? 12,
    view: choiceParam(params, 'view', ['3d', '2d'] as const, errors) ?? '3d',
    tilesets: tilesetParams(params, origin, errors),
    tilesetFly: params.get('tilesetFly') === '1',
    replayAt: replay && 'at' in replay ? replay.at : undefined,
    errors,
  };
}
