/**
 * The few CesiumJS internals video fusion stands on, typed once here. Cesium ships them in its
 * build (`ShadowMap` with its constructor options, `Texture`, `scene.context`) but leaves them out
 * of its public typings: ShadowMap's options are documented as private parameters, and its
 * `fromLightSource: false` exists for analysis shadow maps like this one (viewshed, projection).
 * Checked against CesiumJS 1.140 (ShadowMap.js, Renderer/Texture.js, Scene.js).
 */
import * as Cesium from 'cesium';
import type { Camera, Matrix4, Scene } from 'cesium';

/** WebGL context wrapper (Renderer/Context.js). */
export interface CesiumContext {
  readonly depthTexture: boolean;
}

/** A GPU texture (Renderer/Texture.js). */
export interface CesiumTexture {
  readonly width: number;
  readonly height: number;
  copyFrom(options: { source: TexImageSource }): void;
  destroy(): void;
}

/** A depth render of the scene from a camera (Scene/ShadowMap.js). */
export interface CesiumShadowMap {
  enabled: boolean;
  /** Depth of the nearest caster per texel; a depth texture, or RGBA-packed depth without one. */
  readonly _shadowMapTexture: CesiumTexture | undefined;
  /** Scene eye coordinates → the light camera's [0, 1]³ texture space, updated every frame. */
  readonly _shadowMapMatrix: Matrix4;
  readonly _usesDepthTexture: boolean;
  destroy(): void;
}

interface ShadowMapConstructor {
  new (options: {
    context: CesiumContext;
    lightCamera: Camera;
    enabled?: boolean;
    isPointLight?: boolean;
    cascadesEnabled?: boolean;
    softShadows?: boolean;
    normalOffset?: boolean;
    size?: number;
    fromLightSource?: boolean;
  }): CesiumShadowMap;
}

interface TextureConstructor {
  new (options: { context: CesiumContext; source: TexImageSource; flipY?: boolean }): CesiumTexture;
}

/** What a primitive's `update` receives (Scene/FrameState.js): the shadow maps to render this frame. */
export interface CesiumFrameState {
  shadowMaps: CesiumShadowMap[];
}

const internals = Cesium as unknown as { ShadowMap: ShadowMapConstructor; Texture: TextureConstructor };

export const ShadowMapClass: ShadowMapConstructor = internals.ShadowMap;
export const TextureClass: TextureConstructor = internals.Texture;

export function contextOf(scene: Scene): CesiumContext {
  return (scene as unknown as { context: CesiumContext }).context;
}
