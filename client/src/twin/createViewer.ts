/**
 * A CesiumWidget that never leaves the local server: no ion token, no online imagery or terrain.
 * The globe uses Cesium's bundled Natural Earth II imagery, the twin's own terrain and basemap
 * over the district. The light is set by the environment (time of day, season).
 */
import {
  CesiumTerrainProvider,
  CesiumWidget,
  Color,
  ImageryLayer,
  Ion,
  Rectangle,
  SingleTileImageryProvider,
  Terrain,
  TileMapServiceImageryProvider,
  buildModuleUrl,
} from 'cesium';
import type { TwinManifest } from '../../../domain/twinPackage';
import { twinUrl } from '../shared/twinApi';

export interface ViewerOptions {
  /** Cesium's default is 4× MSAA; software-rendered test browsers want 1. */
  msaaSamples?: number;
  /** Drawing-buffer scale; below 1 for very large walls and slow test browsers. */
  resolutionScale?: number;
}

export function createViewer(container: HTMLElement, manifest: TwinManifest, options: ViewerOptions = {}): CesiumWidget {
  Ion.defaultAccessToken = '';

  const globeImagery = ImageryLayer.fromProviderAsync(
    TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII')),
  );
  const terrain = new Terrain(
    // The terrain entry is a folder (layer.json inside); without the slash the URL would resolve beside it.
    CesiumTerrainProvider.fromUrl(twinUrl(manifest.files.terrain.replace(/\/?$/, '/')), {
      requestVertexNormals: true,
      requestWaterMask: true,
    }),
  );

  const widget = new CesiumWidget(container, {
    baseLayer: globeImagery,
    terrain,
    msaaSamples: options.msaaSamples ?? 4,
    // Render only when something changes: an unattended command-centre screen should not burn CPU.
    requestRenderMode: true,
    maximumRenderTimeChange: Number.POSITIVE_INFINITY,
    scene3DOnly: true,
  });

  const { bounds, image } = manifest.files.basemap;
  widget.imageryLayers.add(
    ImageryLayer.fromProviderAsync(
      SingleTileImageryProvider.fromUrl(twinUrl(image), {
        rectangle: Rectangle.fromDegrees(bounds.west, bounds.south, bounds.east, bounds.north),
      }),
    ),
  );

  const scene = widget.scene;
  scene.globe.depthTestAgainstTerrain = true;
  scene.globe.baseColor = Color.fromCssColorString('#0d2236');
  scene.backgroundColor = Color.fromCssColorString('#050b14');
  if (options.resolutionScale !== undefined) widget.resolutionScale = options.resolutionScale;
  return widget;
}
