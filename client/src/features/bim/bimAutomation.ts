/**
 * `window.citytwinBim`: the indoor viewer's state and a way to aim at an element, for tests and
 * kiosk scripts (the twin's own hooks are window.citytwin, app/automation.ts).
 */
import type { Pinia } from 'pinia';
import type { BimRow, BimViewCategory, StoreyInfo } from './core/bimView';
import { useBimStore } from './bimStore';

export interface BimState {
  buildingId: string | null;
  status: 'closed' | 'loading' | 'ready' | 'error';
  error: string;
  storeys: StoreyInfo[];
  isolated: number | null;
  explode: number;
  walking: boolean;
  elements: number;
  visibleStoreys: number[];
  visibleCategories: BimViewCategory[];
  /** Camera position, metres east, up and south of the building's base; null before loading. */
  camera: [number, number, number] | null;
  picked: BimRow | null;
}

export interface CitytwinBimApi {
  state(): BimState;
  open(buildingId: string): void;
  close(): void;
  /** Canvas position (CSS px) of an element's centre, or null when hidden or not loaded. */
  screenPointOf(globalId: string): { x: number; y: number } | null;
}

declare global {
  interface Window {
    citytwinBim: CitytwinBimApi;
  }
}

export function installBimAutomation(pinia: Pinia): void {
  const bim = useBimStore(pinia);
  window.citytwinBim = {
    state: () => ({
      buildingId: bim.buildingId,
      status: bim.status,
      error: bim.error,
      storeys: bim.storeys,
      isolated: bim.isolated,
      explode: bim.explode,
      walking: bim.walking,
      elements: bim.elements,
      visibleStoreys: bim.probe?.visibleStoreys() ?? [],
      visibleCategories: bim.probe?.visibleCategories() ?? [],
      camera: bim.probe?.camera() ?? null,
      picked: bim.picked,
    }),
    open: (id) => bim.open(id),
    close: () => bim.close(),
    screenPointOf: (globalId) => bim.probe?.screenPointOf(globalId) ?? null,
  };
}
