/**
 * Third-party 3D Tiles (1.0 b3dm or 1.1 glTF content) opened with `?tileset=`: extra layers shown
 * at every level on top of the twin. Each loads on its own; one that fails is reported and the
 * others stay.
 */
import { Cesium3DTileFeature, Cesium3DTileset, type Scene } from 'cesium';

export interface ExtraTilesetsStats {
  /** Tilesets asked for in the URL. */
  requested: number;
  /** Tilesets whose tileset.json loaded and which are in the scene. */
  loaded: number;
  /** Every loaded tileset has streamed what the current view needs. */
  tilesLoaded: boolean;
  /** Tile contents (b3dm, glb …) loaded so far, over all tilesets. */
  tilesLoadedCount: number;
  /** One line per tileset that failed, naming its URL. */
  errors: string[];
}

/** What Cesium 1.1x keeps on a Cesium3DTileFeature (engine source, not its typings). */
interface FeatureInternals {
  getExactClassName?: () => string | undefined;
  _content?: { batchTable?: { _propertyTable?: { class?: { id?: string; name?: string } } } };
}

export class ExtraTilesets {
  private readonly tilesets: Cesium3DTileset[] = [];
  private readonly errors: string[] = [];
  private tileLoads = 0;

  constructor(
    private readonly scene: Scene,
    private readonly urls: readonly string[],
  ) {}

  /** Loads every tileset; resolves when each is in the scene or has failed (tiles keep streaming). */
  async load(): Promise<void> {
    await Promise.all(this.urls.map((url) => this.loadOne(url)));
    this.scene.requestRender();
  }

  private async loadOne(url: string): Promise<void> {
    try {
      const tileset = await Cesium3DTileset.fromUrl(url, { cacheBytes: 256 * 1024 * 1024 });
      this.scene.primitives.add(tileset);
      this.tilesets.push(tileset);
      // Tiles arrive between renders; the scene renders on demand, so ask for a frame each time.
      tileset.tileLoad.addEventListener(() => {
        this.tileLoads += 1;
        this.scene.requestRender();
      });
    } catch (err) {
      this.errors.push(`${url}: ${(err as Error).message}`);
    }
  }

  /** The first loaded tileset (the one `?tilesetFly=1` flies to), if any. */
  get first(): Cesium3DTileset | undefined {
    return this.tilesets[0];
  }

  owns(feature: Cesium3DTileFeature): boolean {
    return this.tilesets.includes(feature.tileset);
  }

  /**
   * The feature's own class: its EXT_structural_metadata class (3D Tiles 1.1: the name the
   * schema gives it, else its id) or its 3DTILES_batch_table_hierarchy class (1.0); null when
   * its tileset declares none. Cesium exposes the 1.1 class only on the content's feature table.
   */
  static classNameOf(feature: Cesium3DTileFeature): string | null {
    // Neither getExactClassName nor the content are in Cesium's type declarations.
    const f = feature as unknown as FeatureInternals;
    const hierarchyClass = f.getExactClassName?.();
    if (hierarchyClass) return hierarchyClass;
    const metadataClass = f._content?.batchTable?._propertyTable?.class;
    // A 1.0 batch table reaches Cesium's metadata as a class it names itself ("_batchTable"): no class of the data's.
    if (!metadataClass || (metadataClass.name === undefined && metadataClass.id?.startsWith('_'))) return null;
    return metadataClass.name ?? metadataClass.id ?? null;
  }

  stats(): ExtraTilesetsStats {
    return {
      requested: this.urls.length,
      loaded: this.tilesets.length,
      tilesLoaded: this.tilesets.every((t) => t.tilesLoaded),
      tilesLoadedCount: this.tileLoads,
      errors: [...this.errors],
    };
  }

  destroy(): void {
    for (const tileset of this.tilesets) this.scene.primitives.remove(tileset);
    this.tilesets.length = 0;
  }
}
