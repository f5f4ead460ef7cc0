/**
 * Runs exhibition mode: asks the pure TourPlayer when to move on and stages each stop on the
 * twin (level, camera, time of day, selection). Any real input (pointer, wheel, key, touch)
 * pauses the tour; the player resumes it after the idle time. Needs nothing from the network
 * beyond the local server, so it runs unattended and offline.
 */
import type { Scenario } from '../../../../domain/scenarios';
import { getJson } from '../../shared/http';
import { onServerEvent } from '../live/serverEvents';
import { TourPlayer, type TourStopId } from './core/tour';
import { buildingSelection } from '../selection/selectionOf';
import type { useEnvironmentStore } from '../environment/environmentStore';
import type { useLiveStore } from '../live/liveStore';
import type { useSceneStore } from '../../twin/sceneStore';
import type { useSelectionStore } from '../selection/selectionStore';
import type { useTourStore } from './tourStore';
import type { useTwinStore } from '../../twin/twinStore';
import type { useViewStore } from '../../twin/viewStore';

export interface TourDeps {
  view: ReturnType<typeof useViewStore>;
  environment: ReturnType<typeof useEnvironmentStore>;
  live: ReturnType<typeof useLiveStore>;
  twin: ReturnType<typeof useTwinStore>;
  selection: ReturnType<typeof useSelectionStore>;
  scene: ReturnType<typeof useSceneStore>;
  tour: ReturnType<typeof useTourStore>;
}

const INPUT_EVENTS = ['pointerdown', 'wheel', 'keydown', 'touchstart'] as const;
const TICK_MS = 250;

export class TourDirector {
  private readonly player: TourPlayer;
  private timer: ReturnType<typeof setInterval> | undefined;
  private hasSimulation = false;
  private staging = false;
  private readonly unsubscribe: () => void;
  private readonly onInput = (): void => {
    this.player.input(performance.now());
    this.deps.tour.report(this.player.state());
  };

  constructor(
    private readonly deps: TourDeps,
    stopS: number,
    idleS: number,
  ) {
    this.player = new TourPlayer({ stopMs: stopS * 1000, idleMs: idleS * 1000, available: (stop) => this.available(stop) });
    this.unsubscribe = onServerEvent('scenario', (data) => {
      if ((data as Scenario | undefined)?.status === 'done') this.hasSimulation = true;
    });
    getJson<Scenario[]>('/api/scenarios').then(
      (list) => (this.hasSimulation ||= list.some((s) => s.status === 'done')),
      () => undefined, // No scenarios API or none run yet: the tour skips that stop.
    );
  }

  start(): void {
    this.deps.tour.active = true;
    for (const type of INPUT_EVENTS) window.addEventListener(type, this.onInput, { capture: true, passive: true });
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const type of INPUT_EVENTS) window.removeEventListener(type, this.onInput, { capture: true });
    this.unsubscribe();
    this.deps.tour.active = false;
  }

  private tick(): void {
    if (!this.deps.scene.scene || this.staging) return; // the twin is still starting, or a stop is being set up
    const next = this.player.tick(performance.now());
    if (!next) {
      this.deps.tour.report(this.player.state());
      return;
    }
    // The screen reports the new stop once it is staged, so what it says is what it shows.
    this.staging = true;
    this.stage(next).finally(() => {
      this.staging = false;
      this.deps.tour.report(this.player.state());
    });
  }

  private available(stop: TourStopId): boolean {
    if (stop === 'incident') return this.deps.live.alarms.length > 0;
    if (stop === 'simulation') return this.hasSimulation;
    return true;
  }

  private async stage(stop: TourStopId): Promise<void> {
    const { view, environment, live, twin, selection } = this.deps;
    const scene = this.deps.scene.scene;
    if (!scene) return;
    view.mode = stop === 'simulation' ? '2d' : '3d';
    switch (stop) {
      case 'overview':
        view.setLevel('L2');
        environment.set({ hour: 15, rain: 0, fog: 0 });
        selection.select(null, 'tour');
        scene.home(3);
        break;
      case 'devices': {
        // Dusk: the lamp poles light up while the camera looks along a street.
        view.setLevel('L4');
        environment.set({ hour: 19.5 });
        const pole = twin.poles[Math.floor(twin.poles.length / 3)];
        if (pole) scene.flyToPole(pole.id, { duration: 3 });
        break;
      }
      case 'incident': {
        view.setLevel('L4');
        environment.set({ hour: 15 });
        const alarm = live.alarms[0];
        if (alarm) {
          selection.select({ kind: 'pole', id: alarm.poleId }, 'tour');
          scene.flyToPole(alarm.poleId, { duration: 3 });
        }
        break;
      }
      case 'interior': {
        const buildings = [...(await twin.buildings()).values()];
        const tallest = buildings.reduce((a, b) => (b.height > a.height ? b : a), buildings[0]!);
        view.setLevel('L5');
        view.interiorBuildingId = tallest.id;
        view.explode = 0.5;
        selection.select(buildingSelection(tallest), 'tour');
        scene.viewBuilding(tallest, { duration: 3 });
        break;
      }
      case 'simulation':
        view.setLevel('L2');
        break;
    }
  }
}
