/**
 * Time of day, season, rain and fog over the twin. The sun follows the clock (light direction,
 * intensity and shadows), night dims the ground and lights the lamp poles, the season tints the
 * ground imagery, fog and rain are post-process stages. Rain animates, so while it falls the
 * scene renders continuously; otherwise request-render mode is kept.
 */
import {
  Cartesian3,
  Color,
  DirectionalLight,
  Matrix3,
  PostProcessStage,
  ShadowMode,
  Transforms,
  Matrix4,
  type CesiumWidget,
  type ImageryLayer,
} from 'cesium';
import { localInstant, nightFactor, SEASON_MONTH, SEASON_TINT, sunPosition, type Season } from './core/sun';

export interface EnvironmentSettings {
  /** Local clock time, hours 0–24 (China Standard Time, UTC+8, for the demo district). */
  hour: number;
  season: Season;
  shadows: boolean;
  /** 0–1. */
  rain: number;
  /** 0–1. */
  fog: number;
}

export const DEFAULT_ENVIRONMENT: EnvironmentSettings = { hour: 10, season: 'summer', shadows: false, rain: 0, fog: 0 };

const FOG_SHADER = `
uniform sampler2D colorTexture;
uniform sampler2D depthTexture;
uniform float density;
uniform vec4 fogColor;
in vec2 v_textureCoordinates;
void main() {
  vec4 color = texture(colorTexture, v_textureCoordinates);
  float depth = czm_readDepth(depthTexture, v_textureCoordinates);
  vec4 eye = czm_windowToEyeCoordinates(gl_FragCoord.xy, depth);
  float d = depth >= 1.0 ? 1.0e5 : length(eye.xyz / eye.w);
  float f = clamp(1.0 - exp(-density * d), 0.0, 1.0);
  out_FragColor = vec4(mix(color.rgb, fogColor.rgb, f), color.a);
}`;

// Slanted streaks from hashed columns that scroll with the frame number.
const RAIN_SHADER = `
uniform sampler2D colorTexture;
uniform float intensity;
in vec2 v_textureCoordinates;
float hash(float x) { return fract(sin(x * 12.9898) * 43758.5453); }
void main() {
  vec4 color = texture(colorTexture, v_textureCoordinates);
  vec2 uv = gl_FragCoord.xy / czm_viewport.zw;
  float t = czm_frameNumber * 0.035;
  float streaks = 0.0;
  for (int layer = 0; layer < 3; layer++) {
    float scale = 90.0 + float(layer) * 70.0;
    float x = (uv.x + uv.y * 0.18) * scale;
    float column = floor(x);
    float speed = 0.8 + hash(column + float(layer)) * 0.6;
    float y = fract(uv.y * (1.5 + float(layer) * 0.5) + t * speed + hash(column * 3.7));
    float drop = step(0.93 - intensity * 0.08, hash(column * 7.1 + float(layer))) * smoothstep(0.0, 0.08, y) * (1.0 - smoothstep(0.08, 0.2, y));
    streaks += drop * (1.0 - abs(fract(x) - 0.5) * 2.0);
  }
  vec3 wet = mix(color.rgb, color.rgb * 0.75 + vec3(0.05, 0.07, 0.1), intensity);
  out_FragColor = vec4(mix(wet, vec3(0.8, 0.85, 0.95), clamp(streaks * 0.5 * intensity, 0.0, 0.6)), color.a);
}`;

export class Environment {
  private readonly light: DirectionalLight;
  private readonly fog: PostProcessStage;
  private readonly rain: PostProcessStage;
  private readonly enuRotation: Matrix3;
  settings: EnvironmentSettings = { ...DEFAULT_ENVIRONMENT };
  /** 0 by day, 1 at night; the poles' glow reads it. */
  night = 0;
  sunElevationDeg = 0;

  constructor(
    private readonly widget: CesiumWidget,
    private readonly centre: { lon: number; lat: number; height: number },
    private readonly ground: () => ImageryLayer | undefined,
    private readonly onNight: (night: number) => void,
  ) {
    const scene = widget.scene;
    this.light = new DirectionalLight({ direction: Cartesian3.negate(Cartesian3.UNIT_Z, new Cartesian3()), intensity: 2 });
    scene.light = this.light;
    const enu = Transforms.eastNorthUpToFixedFrame(Cartesian3.fromDegrees(centre.lon, centre.lat, centre.height));
    this.enuRotation = Matrix4.getMatrix3(enu, new Matrix3());
    this.fog = new PostProcessStage({ name: 'citytwin_fog', fragmentShader: FOG_SHADER, uniforms: { density: 0, fogColor: new Color(0.72, 0.76, 0.8, 1) } });
    this.rain = new PostProcessStage({ name: 'citytwin_rain', fragmentShader: RAIN_SHADER, uniforms: { intensity: 0 } });
    this.fog.enabled = false;
    this.rain.enabled = false;
    scene.postProcessStages.add(this.fog);
    scene.postProcessStages.add(this.rain);
    this.apply(this.settings);
  }

  apply(next: Partial<EnvironmentSettings>): void {
    const s = (this.settings = { ...this.settings, ...next });
    const scene = this.widget.scene;
    const sun = sunPosition(localInstant(2026, SEASON_MONTH[s.season], 15, s.hour, 8), this.centre.lon, this.centre.lat);
    this.sunElevationDeg = sun.elevationDeg;
    this.night = nightFactor(sun.elevationDeg);
    // Below the horizon the light comes from a moon-like high west sky, dim and blue.
    const elevation = this.night >= 1 ? 55 : Math.max(3, sun.elevationDeg);
    const azimuth = this.night >= 1 ? 250 : sun.azimuthDeg;
    this.light.direction = this.towardsGround(azimuth, elevation, this.light.direction);
    this.light.intensity = 2 * (1 - this.night) + 0.25 * this.night;
    this.light.color = Color.lerp(Color.WHITE, Color.fromCssColorString('#8fa8ff'), this.night, this.light.color);
    scene.shadowMap.enabled = s.shadows && this.night < 1;
    scene.globe.shadows = ShadowMode.RECEIVE_ONLY;
    const tint = SEASON_TINT[s.season];
    const layers = this.widget.imageryLayers;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers.get(i);
      // The season tints the district's own ground; night darkens everything under the sky.
      if (layer === this.ground()) {
        layer.hue = tint.hue;
        layer.saturation = tint.saturation;
      }
      layer.brightness = (layer === this.ground() ? tint.brightness : 1) * (1 - 0.75 * this.night);
    }
    scene.backgroundColor = Color.lerp(Color.fromCssColorString('#1b3a5c'), Color.fromCssColorString('#03060c'), this.night, scene.backgroundColor);
    this.fog.enabled = s.fog > 0;
    this.fog.uniforms.density = s.fog * 0.0012;
    this.rain.enabled = s.rain > 0;
    this.rain.uniforms.intensity = s.rain;
    // Rain moves every frame; everything else only needs a frame when something changed.
    scene.requestRenderMode = !this.rain.enabled;
    this.onNight(this.night);
    scene.requestRender();
  }

  private towardsGround(azimuthDeg: number, elevationDeg: number, result: Cartesian3): Cartesian3 {
    const az = (azimuthDeg * Math.PI) / 180;
    const el = (elevationDeg * Math.PI) / 180;
    const towardsSun = new Cartesian3(Math.sin(az) * Math.cos(el), Math.cos(az) * Math.cos(el), Math.sin(el));
    Matrix3.multiplyByVector(this.enuRotation, towardsSun, result);
    return Cartesian3.normalize(Cartesian3.negate(result, result), result);
  }

  destroy(): void {
    this.widget.scene.postProcessStages.remove(this.fog);
    this.widget.scene.postProcessStages.remove(this.rain);
  }
}
