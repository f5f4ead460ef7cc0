/**
 * `window.citytwin`: what tests, benchmarks and kiosk scripts can read and drive. It reports
 * what the screen shows (frame rate, tiles, selection, live feed) in one call.
 */
import type { Pinia } from 'pinia';
import type { LiveStatus } from '../../domain/terminals';
import { i18n } from './i18n';
import { useLiveStore } from './stores/live';
import { useSceneStore } from './stores/scene';
import { useSelectionStore, type Selection } from './stores/selection';
import { useTwinStore } from './stores/twin';
import type { FlyOptions } from './twin/TwinScene';

export interface TwinStats {
  fps: number;
  frameTimeMs: number;
  /** Building tiles with content loaded. */
  tilesLoaded: number;
  /** Buildings and terrain have nothing left to load for the current view. */
  allTilesLoaded: boolean;
  buildings: number;
  poles: number;
  deltasReceived: number;
  lastDeltaLatencyMs: number | null;
  connection: string;
  selection: Selection | null;
  locale: string;
}

export interface CitytwinApi {
  stats(): TwinStats;
  poleStatus(id: string): LiveStatus | undefined;
  flyToBuilding(id: string, options?: FlyOptions): Promise<boolean>;
  flyToPole(id: string, options?: FlyOptions): boolean;
  home(options?: FlyOptions): void;
}

declare global {
  interface Window {
    citytwin: CitytwinApi;
  }
}

export function installAutomation(pinia: Pinia): void {
  const twin = useTwinStore(pinia);
  const live = useLiveStore(pinia);
  const sceneStore = useSceneStore(pinia);
  const selection = useSelectionStore(pinia);

  window.citytwin = {
    stats() {
      const scene = sceneStore.scene?.stats();
      return {
        fps: scene?.fps ?? 0,
        frameTimeMs: scene?.frameTimeMs ?? 0,
        tilesLoaded: scene?.tilesLoaded ?? 0,
        allTilesLoaded: scene?.allTilesLoaded ?? false,
        buildings: twin.manifest?.counts.buildings ?? 0,
        poles: scene?.poles ?? 0,
        deltasReceived: live.deltasReceived,
        lastDeltaLatencyMs: live.lastDeltaLatencyMs,
        connection: live.connection,
        selection: selection.selection,
        locale: i18n.global.locale.value,
      };
    },
    poleStatus: (id) => live.poleStatus.get(id),
    async flyToBuilding(id, options) {
      const building = (await twin.buildings()).get(id);
      if (!building || !sceneStore.scene) return false;
      sceneStore.scene.flyToBuilding(building, options);
      return true;
    },
    flyToPole: (id, options) => sceneStore.scene?.flyToPole(id, options) ?? false,
    home: (options) => sceneStore.scene?.home(options?.duration),
  };
}
