/**
 * One camera's video projected onto the twin, the way projective texturing with shadow maps does
 * it: a depth render of the scene from the camera's pose (a Cesium ShadowMap whose light camera
 * is the video camera) and a post-process stage that, for every screen pixel, rebuilds its world
 * position from the scene depth, projects it into the camera's picture, and paints the video
 * there when the camera's own depth map says nothing nearer hides it — so ground, roads and
 * facades in the frustum take the video, and it never bleeds through a building.
 *
 * The camera model is kernel/cameraProjection.ts (pinhole, hfov, aspect, Cesium heading/pitch),
 * the same one the embedded encoder draws its pictures with, so a road edge in the video lands on
 * the road edge of the twin.
 */
import { Camera, Cartesian2, Cartesian3, Math as CesiumMath, PerspectiveFrustum, PostProcessStage, type Scene } from 'cesium';
import type { CameraPose } from '../../../../domain/cameras';
import { CAMERA_NEAR_M, cesiumFovRad } from '../../../../kernel/cameraProjection';
import { contextOf, ShadowMapClass, TextureClass, type CesiumFrameState, type CesiumShadowMap, type CesiumTexture } from './cesiumInternals';
import type { VideoSource } from './videoSources';

/** Side of the camera's depth map, texels: about 6 cm per texel across a 60° view at 50 m. */
const DEPTH_MAP_SIZE = 1024;

/**
 * Scene pixel → camera picture, depth-tested. `eyeToCamera` takes the scene's eye coordinates to
 * the camera's [0, 1]³ texture space (x right, y up, z window depth); depths are compared in
 * metres along the camera's axis with a tolerance that grows with distance (depth-map texels get
 * coarser farther out, and a facade seen at a grazing angle spans several of them). The scene
 * position comes from the raw (log) depth as Cesium's eye-dome lighting reads it.
 */
function fragmentShader(depthTexture: boolean): string {
  return `${depthTexture ? '#define USE_SHADOW_DEPTH_TEXTURE\n' : ''}
uniform sampler2D colorTexture;
uniform sampler2D depthTexture;
uniform sampler2D videoTexture;
uniform sampler2D cameraDepth;
uniform mat4 eyeToCamera;
uniform vec2 nearFar;
uniform float opacity;
in vec2 v_textureCoordinates;

float cameraDepthAt(vec2 uv) {
#ifdef USE_SHADOW_DEPTH_TEXTURE
  return texture(cameraDepth, uv).r;
#else
  return czm_unpackDepth(texture(cameraDepth, uv));
#endif
}

// Window depth in [0, 1] of the camera's perspective projection → metres along its axis.
float metres(float windowDepth) {
  float n = nearFar.x;
  float f = nearFar.y;
  float ndc = windowDepth * 2.0 - 1.0;
  return 2.0 * n * f / (f + n - ndc * (f - n));
}

void main() {
  vec4 color = texture(colorTexture, v_textureCoordinates);
  out_FragColor = color;
  // The raw value (a log depth when the scene uses one): czm_windowToEyeCoordinates takes either.
  float depthOrLogDepth = texture(depthTexture, v_textureCoordinates).r;
  if (depthOrLogDepth <= 0.0 || depthOrLogDepth >= 1.0) return;
  vec4 eye = czm_windowToEyeCoordinates(gl_FragCoord.xy, depthOrLogDepth);
  eye /= eye.w;
  vec4 clip = eyeToCamera * eye;
  if (clip.w <= 0.0) return;
  vec3 p = clip.xyz / clip.w;
  if (p.x < 0.0 || p.x > 1.0 || p.y < 0.0 || p.y > 1.0 || p.z < 0.0 || p.z > 1.0) return;
  float here = metres(p.z);
  float nearest = metres(cameraDepthAt(p.xy));
  if (here > nearest + 0.5 + 0.02 * here) return;
  vec4 video = texture(videoTexture, p.xy);
  out_FragColor = vec4(mix(color.rgb, video.rgb, opacity), color.a);
}
`;
}

export interface PlacedPose {
  pose: CameraPose;
  /** Ground under the pole, metres above the ellipsoid. */
  groundHeight: number;
}

export class VideoProjection {
  /** 0 shows the twin only, 1 the video only. */
  opacity: number;
  private readonly shadowMap: CesiumShadowMap;
  private readonly stage: PostProcessStage;
  /** Puts the depth map in this frame's shadow maps (Cesium renders them before the scene). */
  private readonly caster: { update(frameState: CesiumFrameState): void; isDestroyed(): boolean; destroy(): void };
  private texture: CesiumTexture | undefined;
  private copied = -1;
  private destroyed = false;

  constructor(
    private readonly scene: Scene,
    readonly cameraId: string,
    placed: PlacedPose,
    readonly source: VideoSource,
    opacity: number,
  ) {
    this.opacity = opacity;
    const { pose, groundHeight } = placed;
    const lightCamera = new Camera(scene);
    lightCamera.frustum = new PerspectiveFrustum({ fov: cesiumFovRad(pose), aspectRatio: pose.aspect, near: CAMERA_NEAR_M, far: pose.rangeM });
    lightCamera.setView({
      destination: Cartesian3.fromDegrees(pose.lon, pose.lat, groundHeight + pose.heightM),
      orientation: { heading: CesiumMath.toRadians(pose.headingDeg), pitch: CesiumMath.toRadians(pose.pitchDeg), roll: 0 },
    });
    const context = contextOf(scene);
    this.shadowMap = new ShadowMapClass({
      context,
      lightCamera,
      isPointLight: false,
      cascadesEnabled: false,
      softShadows: false,
      normalOffset: false,
      size: DEPTH_MAP_SIZE,
      // An analysis depth map: it must not darken the scene as a light's shadows would.
      fromLightSource: false,
    });
    const shadowMap = this.shadowMap;
    this.caster = {
      update: (frameState) => {
        if (!this.destroyed) frameState.shadowMaps.push(shadowMap);
      },
      isDestroyed: () => false,
      destroy: () => undefined,
    };
    scene.primitives.add(this.caster);
    this.stage = new PostProcessStage({
      name: `citytwin-video-fusion-${cameraId}`,
      fragmentShader: fragmentShader(shadowMap._usesDepthTexture),
      uniforms: {
        videoTexture: () => this.texture,
        cameraDepth: () => shadowMap._shadowMapTexture,
        eyeToCamera: () => shadowMap._shadowMapMatrix,
        nearFar: new Cartesian2(CAMERA_NEAR_M, pose.rangeM),
        opacity: () => this.opacity,
      },
    });
    // Off until the first picture is uploaded and the first depth map exists.
    this.stage.enabled = false;
    scene.postProcessStages.add(this.stage);
  }

  /** Before each render: uploads the source's newest picture, if it has a new one. */
  preRender(): void {
    if (this.destroyed || !this.source.ready()) return;
    const frame = this.source.frame();
    const element = this.source.element;
    const width = element instanceof HTMLVideoElement ? element.videoWidth : element.width;
    const height = element instanceof HTMLVideoElement ? element.videoHeight : element.height;
    if (this.texture && (this.texture.width !== width || this.texture.height !== height)) {
      this.texture.destroy();
      this.texture = undefined;
    }
    if (!this.texture) {
      // flipY (Cesium's default): texture row 0 is the picture's bottom row, as the camera's
      // texture space has y up.
      this.texture = new TextureClass({ context: contextOf(this.scene), source: element, flipY: true });
      this.copied = frame;
    } else if (frame !== this.copied) {
      this.texture.copyFrom({ source: element });
      this.copied = frame;
    }
    this.stage.enabled = this.shadowMap._shadowMapTexture !== undefined;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.scene.postProcessStages.remove(this.stage);
    this.scene.primitives.remove(this.caster);
    this.shadowMap.destroy();
    this.texture?.destroy();
    this.source.dispose();
  }
}
