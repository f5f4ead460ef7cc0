/**
 * An analysis raster draped over the terrain as an imagery layer (viewshed, hours of sun, flood
 * depth and difference): RGBA pixels → a canvas → one local image tile over a lon/lat rectangle.
 * Being imagery, it can be shown on one side of the split screen (`splitDirection`).
 */
import { ImageryLayer, Rectangle, SingleTileImageryProvider, SplitDirection, type ImageryLayerCollection } from 'cesium';

export interface LonLatBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

export class RasterOverlay {
  private constructor(
    private readonly layers: ImageryLayerCollection,
    readonly layer: ImageryLayer,
  ) {}

  /** Draws `rgba` (width × height, row 0 north) over `box`; resolves once the layer is added. */
  static async create(layers: ImageryLayerCollection, rgba: Uint8ClampedArray, width: number, height: number, box: LonLatBox): Promise<RasterOverlay> {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('RasterOverlay: no 2D canvas context');
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
    const rectangle = Rectangle.fromDegrees(box.west, box.south, box.east, box.north);
    // A data URL: the image never leaves the page (offline first).
    const provider = await SingleTileImageryProvider.fromUrl(canvas.toDataURL('image/png'), { rectangle });
    const layer = new ImageryLayer(provider, { rectangle });
    layers.add(layer);
    return new RasterOverlay(layers, layer);
  }

  set split(direction: SplitDirection) {
    this.layer.splitDirection = direction;
  }

  set show(show: boolean) {
    this.layer.show = show;
  }

  destroy(): void {
    this.layers.remove(this.layer, true);
  }
}
