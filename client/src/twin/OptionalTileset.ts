/**
 * A 3D Tiles layer the package may or may not have (L3 architecture, L4 instanced components):
 * loaded when the manifest lists it and the level first needs it, shown and hidden by the level
 * rules. A tileset that fails to load is reported once and treated as absent.
 */
import { Cesium3DTileFeature, Cesium3DTileStyle, Cesium3DTileset, type Scene } from 'cesium';
import { twinUrl } from '../shared/twinApi';

export class OptionalTileset {
  private tileset: Cesium3DTileset | undefined;
  private loading: Promise<void> | undefined;
  private wanted = false;
  private hiddenId: string | null = null;
  private colours: Array<[string, string]> | null = null;
  error: string | null = null;

  constructor(
    private readonly scene: Scene,
    readonly path: string | null,
  ) {}

  get available(): boolean {
    return this.path !== null && this.error === null;
  }

  get loaded(): boolean {
    return this.tileset !== undefined;
  }

  /** The tileset once loaded (read it, don't restyle it: setColours and hideFeature own its style). */
  get current(): Cesium3DTileset | undefined {
    return this.tileset;
  }

  /** Loaded and nothing left to stream for the view, or not shown at all. */
  get settled(): boolean {
    return !this.wanted || !this.available || (this.tileset?.tilesLoaded ?? false);
  }

  owns(feature: Cesium3DTileFeature): boolean {
    return this.tileset !== undefined && feature.tileset === this.tileset;
  }

  setVisible(visible: boolean): void {
    this.wanted = visible;
    if (this.tileset) this.tileset.show = visible;
    else if (visible && this.path && !this.loading && this.error === null) this.loading = this.load(this.path);
    this.scene.requestRender();
  }

  /** Hides the feature whose `id` property is `id` (a building whose interior is open), or none. */
  hideFeature(id: string | null): void {
    this.hiddenId = id;
    this.restyle();
  }

  /** Colours features by `Cesium3DTileStyle` colour conditions (e.g. pipes by load), or as built with null. */
  setColours(conditions: Array<[string, string]> | null): void {
    this.colours = conditions;
    this.restyle();
  }

  private restyle(): void {
    if (this.tileset) this.tileset.style = styleOf(this.hiddenId, this.colours);
    this.scene.requestRender();
  }

  private async load(path: string): Promise<void> {
    try {
      const tileset = await Cesium3DTileset.fromUrl(twinUrl(path), { cacheBytes: 256 * 1024 * 1024 });
      tileset.show = this.wanted;
      tileset.style = styleOf(this.hiddenId, this.colours);
      this.scene.primitives.add(tileset);
      this.tileset = tileset;
    } catch (err) {
      this.error = `${path}: ${(err as Error).message}`;
    }
    this.scene.requestRender();
  }

  destroy(): void {
    if (this.tileset) this.scene.primitives.remove(this.tileset);
  }
}

function styleOf(id: string | null, colours: Array<[string, string]> | null): Cesium3DTileStyle | undefined {
  if (id === null && colours === null) return undefined;
  // Ids come from the tiler ([A-Za-z0-9_-]); quotes and backslashes are dropped all the same.
  return new Cesium3DTileStyle({
    ...(id === null ? {} : { show: `\${id} !== '${id.replace(/['\\]/g, '')}'` }),
    ...(colours === null ? {} : { color: { conditions: colours } }),
  });
}
