/**
 * A CesiumWidget that never leaves the local server: no ion token, no online imagery or terrain.
 * The globe uses Cesium's bundled Natural Earth II imagery, the twin's own terrain and basemap
 * over the district, and a fixed sun so the city looks the same at any hour.
 */
import {
  Cartesian3,
  CesiumTerrainProvider,
  CesiumWidget,
  Color,
  DirectionalLight,
  ImageryLayer,
  Ion,
  Matrix3,
  Matrix4,
  Rectangle,
  SingleTileImageryProvider,
  Terrain,
  TileMapServiceImageryProvider,
  Transforms,
  buildModuleUrl,
} from 'cesium';
import type { TwinManifest } from '../../../domain/twinPackage';
import { twinUrl } from '../api/twinApi';

export interface ViewerOptions {
  /** Cesium's default is 4× MSAA; software-rendered test browsers want 1. */
  msaaSamples?: number;
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
  // Same intensity as Cesium's sun, which a DirectionalLight does not default to.
  scene.light = new DirectionalLight({ direction: sunDirection(manifest, 150, 50), intensity: 2 });
  return widget;
}

/** Light direction (towards the ground) for a sun at the given azimuth/elevation over the district. */
function sunDirection(manifest: TwinManifest, azimuthDeg: number, elevationDeg: number): Cartesian3 {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  const towardsSunEnu = new Cartesian3(Math.sin(az) * Math.cos(el), Math.cos(az) * Math.cos(el), Math.sin(el));
  const { lon, lat, height } = manifest.center;
  const enuToFixed = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(lon, lat, height));
  const rotation = Matrix4.getMatrix3(enuToFixed, new Matrix3());
  const towardsSun = Matrix3.multiplyByVector(rotation, towardsSunEnu, new Cartesian3());
  return Cartesian3.normalize(Cartesian3.negate(towardsSun, towardsSun), towardsSun);
}
