/**
 * `window.citytwin.flood`: what a coupled flood run draws on the 3D view, read back from the
 * scene itself (not from the panel's lists): the pipe tiles' features drawn in each load class's
 * colour, and the spilling-manhole markers with where they show on the page. Read-only.
 */
import { Color, SceneTransforms, type Cesium3DTile, type Cesium3DTileset, type Scene } from 'cesium';
import type { Pinia } from 'pinia';
import { useSceneStore } from '../../twin/sceneStore';
import { LOAD_COLOURS, type LoadClass } from './core/drainLoad';
import { drawnManholeMarkers } from './DrainMarkers';

export interface DrawnPipes {
  /** Whether the pipe tiles are shown (the pipes layer, which the underground mode turns on). */
  shown: boolean;
  /** Tiles drawn in the frame read, and the features they hold. */
  tiles: number;
  features: number;
  /** Distinct pipe ids drawn in each load class's colour (core/drainLoad LOAD_COLOURS). */
  byClass: Record<LoadClass, string[]>;
}

export interface DrawnManholeMarker {
  id: string;
  sizePx: number;
  /** Where it shows, page CSS px (as a mouse click takes them); null behind the globe or off screen. */
  page: [number, number] | null;
}

export interface FloodAutomation {
  /** The pipe tiles' features as the next rendered frame draws them; null until the pipes tileset is loaded. */
  drawnPipes(): Promise<DrawnPipes | null>;
  /** The spilling-manhole markers the scene holds. */
  drawnManholes(): DrawnManholeMarker[];
}

const CLASS_COLOURS = (Object.entries(LOAD_COLOURS) as Array<[LoadClass, string]>).map(([cls, css]) => [cls, Color.fromCssColorString(css)] as const);

export function floodAutomation(pinia: Pinia): FloodAutomation {
  const sceneStore = useSceneStore(pinia);
  return {
    async drawnPipes() {
      const twinScene = sceneStore.scene;
      const tileset = twinScene?.pipesTileset;
      if (!twinScene || !tileset) return null;
      const tiles = await tilesDrawnNextFrame(twinScene.widget.scene, tileset);
      const byClass: Record<LoadClass, Set<string>> = { low: new Set(), high: new Set(), over: new Set() };
      let features = 0;
      for (const tile of tiles) {
        const content = tile.content;
        for (let i = 0; i < content.featuresLength; i++) {
          const feature = content.getFeature(i);
          if (!feature.show) continue;
          features++;
          const colour = feature.color;
          const cls = CLASS_COLOURS.find(([, c]) => c.equalsEpsilon(colour, 1.5 / 255))?.[0];
          if (cls) byClass[cls].add(String(feature.getProperty('id') ?? ''));
        }
      }
      const sorted = (s: Set<string>): string[] => [...s].sort();
      return { shown: tileset.show, tiles: tiles.length, features, byClass: { low: sorted(byClass.low), high: sorted(byClass.high), over: sorted(byClass.over) } };
    },
    drawnManholes() {
      const scene = sceneStore.scene?.widget.scene;
      if (!scene) return [];
      const box = scene.canvas.getBoundingClientRect();
      return drawnManholeMarkers(scene).map((m) => {
        const at = SceneTransforms.worldToWindowCoordinates(scene, m.position);
        return { id: m.id, sizePx: m.sizePx, page: at ? [box.left + at.x, box.top + at.y] : null };
      });
    },
  };
}

/** The tileset's tiles drawn in the next rendered frame (after its style is applied to them). */
function tilesDrawnNextFrame(scene: Scene, tileset: Cesium3DTileset): Promise<Cesium3DTile[]> {
  return new Promise((resolve) => {
    const tiles = new Set<Cesium3DTile>();
    const stopVisible = tileset.tileVisible.addEventListener((tile: Cesium3DTile) => tiles.add(tile));
    const stopRender = scene.postRender.addEventListener(() => {
      stopVisible();
      stopRender();
      resolve([...tiles]);
    });
    scene.requestRender();
  });
}
