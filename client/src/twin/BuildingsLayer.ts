/**
 * L2 white models: the twin's 3D Tiles 1.1 buildings, tinted by use through their metadata, with
 * the selected building highlighted.
 */
import { Cesium3DTileFeature, Cesium3DTileStyle, Cesium3DTileset, Color, type Scene } from 'cesium';
import type { TwinManifest } from '../../../domain/twinPackage';
import { twinUrl } from '../api/twinApi';

export type FeatureProperties = Record<string, string | number | boolean | null>;

// Light, slightly warm whites: a "white model" city that still tells uses apart at a glance.
const USE_COLORS: Record<string, string> = {
  residential: '#eeeae2',
  commercial: '#e6eef7',
  office: '#dfe9f5',
  industrial: '#e4e1d8',
  public: '#f3e9dc',
  education: '#f1ead8',
  healthcare: '#f5e6e6',
  mixed: '#ebebeb',
};

const HIGHLIGHT = Color.fromCssColorString('#ffcc33');

export class BuildingsLayer {
  private highlighted: { feature: Cesium3DTileFeature; color: Color } | undefined;
  private loadedTiles = 0;

  private constructor(readonly tileset: Cesium3DTileset) {
    tileset.tileLoad.addEventListener(() => this.loadedTiles++);
    tileset.tileUnload.addEventListener(() => this.loadedTiles--);
    tileset.style = new Cesium3DTileStyle({
      color: {
        conditions: [
          ...Object.entries(USE_COLORS).map(([use, color]) => [`\${use} === '${use}'`, `color('${color}')`]),
          ['true', "color('#ececec')"],
        ],
      },
    });
  }

  static async load(scene: Scene, manifest: TwinManifest): Promise<BuildingsLayer> {
    const tileset = await Cesium3DTileset.fromUrl(twinUrl(manifest.files.buildingsTileset), {
      // Keep a whole district resident: the demo city is small and revisited constantly.
      cacheBytes: 512 * 1024 * 1024,
    });
    scene.primitives.add(tileset);
    return new BuildingsLayer(tileset);
  }

  /** Tiles whose content is loaded now. */
  get tilesLoaded(): number {
    return this.loadedTiles;
  }

  static propertiesOf(feature: Cesium3DTileFeature): FeatureProperties {
    const properties: FeatureProperties = {};
    for (const name of feature.getPropertyIds()) {
      const value: unknown = feature.getProperty(name);
      properties[name] =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
    }
    return properties;
  }

  highlight(feature: Cesium3DTileFeature | undefined): void {
    if (this.highlighted) {
      // The tile may have been unloaded since; its features are then gone and need no reset.
      try {
        this.highlighted.feature.color = this.highlighted.color;
      } catch {
        /* feature destroyed with its tile */
      }
      this.highlighted = undefined;
    }
    if (feature) {
      this.highlighted = { feature, color: Color.clone(feature.color) };
      feature.color = HIGHLIGHT;
    }
  }
}
