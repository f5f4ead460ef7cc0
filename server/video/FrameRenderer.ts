/**
 * Draws a demo camera's picture as RGB24 frames: the ground with the twin's roads (asphalt, lane
 * markings, pavements) seen in perspective from the camera's pose, the sky and light of the
 * simulated hour, rain when the simulator's weather has a shower, vehicles moving along the
 * lanes in both directions (as many as the hour's traffic demand), pedestrians on the
 * pavements, and the camera id and clock burned in.
 *
 * The static part (ground and roads) is ray-cast once per camera; each frame copies it under the
 * hour's light and draws the moving things over it, far to near. Only scratch arrays allocated
 * at construction are used per frame.
 */
import { rainMmH, solarHour, trafficProfile } from '../devices/simulator/readings';
import { hash01 } from '../devices/simulator/noise';
import { drawText } from './bitmapFont';
import { CameraView } from './cameraView';
import { pointAlong, type CameraScene } from './cameraScene';

type Rgb = readonly [number, number, number];

/** Something to draw this frame: a box standing on the ground, in local metres. */
interface Thing {
  depth: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  rgb: Rgb;
  vehicle: boolean;
}

export interface FrameOptions {
  /** Simulated time (light, weather, traffic demand). */
  simTimeMs: number;
  /** Wall-clock time: motion and the burned-in clock. */
  wallMs: number;
  /** Longitude for local solar time. */
  lonDeg: number;
  /** The simulator's seed (its rain showers). */
  weatherSeed: number;
  /** A detection box to draw, fractions of the frame [x, y, w, h], with its caption. */
  box?: { bbox: readonly [number, number, number, number]; caption: string };
}

const ASPHALT: Rgb = [78, 80, 84];
const MARKING: Rgb = [225, 225, 215];
const PAVEMENT: Rgb = [150, 146, 138];
const GROUND: Rgb = [96, 122, 78];
const GROUND_DARK: Rgb = [88, 114, 72];
const CAR_COLOURS: readonly Rgb[] = [
  [200, 200, 205], [30, 30, 34], [170, 30, 30], [30, 70, 150], [230, 230, 235], [120, 120, 125], [200, 160, 40], [40, 110, 70],
];
const CLOTHES: readonly Rgb[] = [[40, 40, 60], [180, 50, 50], [60, 90, 150], [220, 200, 170], [70, 70, 70]];
const UTC8_MS = 8 * 3_600_000;

export class FrameRenderer {
  readonly view: CameraView;
  private readonly base: Uint8Array;
  /** First image row below the horizon. */
  private readonly horizonRow: number;
  private readonly things: Thing[] = [];
  private readonly p: [number, number, number] = [0, 0, 0];
  private readonly at: [number, number, number, number] = [0, 0, 0, 0];

  constructor(
    readonly scene: CameraScene,
    readonly width: number,
    readonly height: number,
  ) {
    this.view = new CameraView(scene.pose, width, height);
    let row = 0;
    while (row < height && this.view.rayZ(row) > -1e-4) row++;
    this.horizonRow = row;
    this.base = new Uint8Array(width * height * 3);
    this.castGround();
  }

  /** Ground, roads and markings, once: each pixel below the horizon cast onto the ground plane. */
  private castGround(): void {
    const { width, height, base, view } = this;
    const segs: number[] = [];
    // Only segments the picture can show matter: the rest of a long road is skipped per pixel.
    const reach = this.scene.pose.rangeM * 3;
    for (const r of this.scene.roads) {
      for (let i = 0; i + 1 < r.cum.length; i++) {
        if (segmentDistance(r.xy[i * 2]!, r.xy[i * 2 + 1]!, r.xy[i * 2 + 2]!, r.xy[i * 2 + 3]!) > reach + r.halfWidthM) continue;
        segs.push(r.xy[i * 2]!, r.xy[i * 2 + 1]!, r.xy[i * 2 + 2]!, r.xy[i * 2 + 3]!, r.halfWidthM, r.cum[i]!, r.lanesPerDirection);
      }
    }
    const g = this.p;
    for (let row = this.horizonRow; row < height; row++) {
      for (let col = 0; col < width; col++) {
        if (!view.ground(col, row, g)) continue;
        const [x, y, dist] = g;
        // A coarse check pattern on open ground, so motion of the picture reads even there.
        let rgb: Rgb = (Math.floor(x / 3) + Math.floor(y / 3)) & 1 ? GROUND : GROUND_DARK;
        let best = Infinity;
        for (let k = 0; k < segs.length; k += 7) {
          const ax = segs[k]!;
          const ay = segs[k + 1]!;
          const dx = segs[k + 2]! - ax;
          const dy = segs[k + 3]! - ay;
          const len2 = dx * dx + dy * dy;
          if (len2 === 0) continue;
          const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2));
          const ex = x - ax - t * dx;
          const ey = y - ay - t * dy;
          const d2 = ex * ex + ey * ey;
          const half = segs[k + 4]!;
          if (d2 > (half + 3) * (half + 3)) continue;
          const d = Math.sqrt(d2);
          if (d - half >= best) continue;
          best = d - half;
          if (d > half) {
            rgb = PAVEMENT;
            continue;
          }
          const along = segs[k + 5]! + t * Math.sqrt(len2);
          const side = (dx * ey - dy * ex) / Math.sqrt(len2);
          const laneW = half / segs[k + 6]!;
          const fromEdge = half - d;
          const inLane = Math.abs(side) % laneW;
          const dash = along % 9 < 4.5;
          if (Math.abs(side) < 0.12 || fromEdge < 0.3 || (dash && (inLane < 0.07 || inLane > laneW - 0.07))) rgb = MARKING;
          else rgb = ASPHALT;
        }
        // Aerial perspective: far ground fades towards the haze.
        const fog = Math.min(0.7, dist / (this.scene.pose.rangeM * 4));
        const i = (row * width + col) * 3;
        base[i] = rgb[0] + (190 - rgb[0]) * fog;
        base[i + 1] = rgb[1] + (195 - rgb[1]) * fog;
        base[i + 2] = rgb[2] + (200 - rgb[2]) * fog;
      }
    }
  }

  /** Draws one frame into `frame` (width × height × 3 bytes). */
  render(frame: Uint8Array, o: FrameOptions): void {
    const { width, height } = this;
    const hour = solarHour(o.simTimeMs, o.lonDeg);
    const rain = rainMmH(o.simTimeMs, o.weatherSeed);
    // Daylight 0 (night) … 1 (noon), with a dawn and dusk ramp.
    const day = Math.min(1, Math.max(0, Math.min(hour - 5.5, 19.5 - hour) / 1.5));
    const light = (0.3 + 0.7 * day) * (rain > 0 ? 0.75 : 1);
    const dusk = day > 0 && day < 1 ? 1 - Math.abs(day - 0.5) * 2 : 0;

    this.drawSky(frame, day, dusk, rain > 0);
    const lut = Math.round(light * 256);
    const start = this.horizonRow * width * 3;
    for (let i = start, end = width * height * 3; i < end; i++) frame[i] = (this.base[i]! * lut) >> 8;

    this.drawMovers(frame, o.wallMs / 1000, trafficProfile(hour), light, day < 0.5);
    if (rain > 0) this.drawRain(frame, o.wallMs, rain);
    if (o.box) this.drawBox(frame, o.box.bbox, o.box.caption);

    const clock = new Date(o.wallMs + UTC8_MS).toISOString().slice(0, 19).replace('T', ' ');
    drawText(frame, width, height, this.scene.cameraId, 8, 8, 2, [255, 255, 255]);
    drawText(frame, width, height, `${clock} +08`, width - 8 - 23 * 12, 8, 2, [255, 255, 255]);
  }

  private drawSky(frame: Uint8Array, day: number, dusk: number, overcast: boolean): void {
    const { width } = this;
    const top: Rgb = overcast ? [120, 125, 135] : [Math.round(20 + 70 * day), Math.round(30 + 110 * day), Math.round(60 + 160 * day)];
    const bottom: Rgb = overcast
      ? [160, 165, 170]
      : [Math.round(40 + 150 * day + 120 * dusk), Math.round(50 + 160 * day + 40 * dusk), Math.round(80 + 160 * day - 40 * dusk)];
    const rows = Math.max(1, this.horizonRow);
    for (let row = 0; row < this.horizonRow; row++) {
      const t = row / rows;
      const r = Math.min(255, top[0] + (bottom[0] - top[0]) * t);
      const g = Math.min(255, top[1] + (bottom[1] - top[1]) * t);
      const b = Math.min(255, top[2] + (bottom[2] - top[2]) * t);
      for (let i = row * width * 3, end = (row + 1) * width * 3; i < end; i += 3) {
        frame[i] = r;
        frame[i + 1] = g;
        frame[i + 2] = b;
      }
    }
  }

  /** Vehicles in their lanes and pedestrians on the pavements, drawn far to near. */
  private drawMovers(frame: Uint8Array, tS: number, demand: number, light: number, headlights: boolean): void {
    const things = this.things;
    things.length = 0;
    const seed = this.scene.seed;
    this.scene.roads.forEach((road, ri) => {
      const span = road.s1 - road.s0;
      if (span <= 0) return;
      const laneW = road.halfWidthM / road.lanesPerDirection;
      for (const dir of [1, -1]) {
        for (let lane = 0; lane < road.lanesPerDirection; lane++) {
          const key = ri * 16 + lane * 2 + (dir > 0 ? 0 : 1);
          const speed = 8 + 6 * hash01(seed, key, 1);
          const gap = (18 + 20 * hash01(seed, key, 2)) / Math.max(0.08, demand);
          const count = Math.max(1, Math.floor(span / gap));
          for (let v = 0; v < count; v++) {
            const phase = ((tS * speed + v * gap + hash01(seed, key, 3) * gap) % span + span) % span;
            const s = dir > 0 ? road.s0 + phase : road.s1 - phase;
            const offset = dir * (lane + 0.5) * laneW;
            const rgb = CAR_COLOURS[Math.floor(hash01(seed, key, v + 10) * CAR_COLOURS.length)]!;
            this.addBox(road, s, offset, 4.5, 1.8, 1.5, rgb, true);
          }
        }
        // Pedestrians on this side's pavement, walking either way.
        const walkers = Math.max(1, Math.floor((span / 20) * demand));
        for (let w = 0; w < walkers; w++) {
          const pace = (1 + 0.5 * hash01(seed, ri, w, dir + 5)) * (w % 2 === 0 ? 1 : -1);
          const phase = ((tS * pace + hash01(seed, ri, w, dir + 7) * span) % span + span) % span;
          const rgb = CLOTHES[Math.floor(hash01(seed, ri, w, dir + 9) * CLOTHES.length)]!;
          this.addBox(road, road.s0 + phase, dir * (road.halfWidthM + 1.5), 0.5, 0.5, 1.7, rgb, false);
        }
      }
    });
    things.sort((a, b) => b.depth - a.depth);
    for (const t of things) this.drawThing(frame, t, light, headlights);
  }

  /** Projects a box (length along the road, width across, height) into its screen rectangle. */
  private addBox(road: CameraScene['roads'][number], s: number, offset: number, len: number, wid: number, hgt: number, rgb: Rgb, vehicle: boolean): void {
    const at = this.at;
    pointAlong(road, s, at);
    const [cx0, cy0, tx, ty] = at;
    // Right of travel is (ty, -tx); offset > 0 puts it right of the centreline in the road's direction.
    const cx = cx0 + ty * offset;
    const cy = cy0 - tx * offset;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let depth = 0;
    const p = this.p;
    for (let c = 0; c < 8; c++) {
      const a = (c & 1 ? 0.5 : -0.5) * len;
      const b = (c & 2 ? 0.5 : -0.5) * wid;
      if (!this.view.project(cx + tx * a + ty * b, cy + ty * a - tx * b, c & 4 ? hgt : 0, p)) return;
      x0 = Math.min(x0, p[0]);
      x1 = Math.max(x1, p[0]);
      y0 = Math.min(y0, p[1]);
      y1 = Math.max(y1, p[1]);
      depth = Math.max(depth, p[2]);
    }
    if (x1 < 0 || y1 < this.horizonRow || x0 >= this.width || y0 >= this.height || depth > this.scene.pose.rangeM * 2) return;
    this.things.push({ depth, x0, y0, x1, y1, rgb, vehicle });
  }

  private drawThing(frame: Uint8Array, t: Thing, light: number, headlights: boolean): void {
    const { width, height } = this;
    const x0 = Math.max(0, Math.round(t.x0));
    const x1 = Math.min(width, Math.round(t.x1));
    const y0 = Math.max(0, Math.round(t.y0));
    const y1 = Math.min(height, Math.round(t.y1));
    const h = Math.max(1, t.y1 - t.y0);
    for (let y = y0; y < y1; y++) {
      const f = (y - t.y0) / h;
      // Vehicles: glass on the upper third, body below; people: head, then clothes.
      const shade = t.vehicle ? (f < 0.35 ? 0.35 : f > 0.9 ? 0.45 : 1) : f < 0.15 ? 0.8 : 1;
      const r = t.rgb[0] * shade * light;
      const g = t.rgb[1] * shade * light;
      const b = t.rgb[2] * shade * light;
      for (let i = (y * width + x0) * 3, end = (y * width + x1) * 3; i < end; i += 3) {
        frame[i] = r;
        frame[i + 1] = g;
        frame[i + 2] = b;
      }
    }
    if (t.vehicle && headlights && x1 - x0 >= 4) {
      const y = Math.min(height - 1, Math.round(t.y0 + h * 0.7));
      for (const x of [x0 + 1, x1 - 2]) {
        const i = (y * width + x) * 3;
        frame[i] = 255;
        frame[i + 1] = 250;
        frame[i + 2] = 210;
      }
    }
  }

  private drawRain(frame: Uint8Array, wallMs: number, mmH: number): void {
    const { width, height } = this;
    const drops = Math.min(600, Math.round(40 + mmH * 8));
    const tick = Math.floor(wallMs / 66);
    for (let k = 0; k < drops; k++) {
      const x0 = Math.floor(hash01(this.scene.seed, tick, k, 1) * width);
      const y0 = Math.floor(hash01(this.scene.seed, tick, k, 2) * height);
      for (let s = 0; s < 8; s++) {
        const x = x0 + (s >> 2);
        const y = y0 + s;
        if (x >= width || y >= height) break;
        const i = (y * width + x) * 3;
        frame[i] = (frame[i]! + 200) >> 1;
        frame[i + 1] = (frame[i + 1]! + 205) >> 1;
        frame[i + 2] = (frame[i + 2]! + 215) >> 1;
      }
    }
  }

  private drawBox(frame: Uint8Array, bbox: readonly [number, number, number, number], caption: string): void {
    const { width, height } = this;
    const x0 = Math.max(0, Math.round(bbox[0] * width));
    const y0 = Math.max(0, Math.round(bbox[1] * height));
    const x1 = Math.min(width - 1, Math.round((bbox[0] + bbox[2]) * width));
    const y1 = Math.min(height - 1, Math.round((bbox[1] + bbox[3]) * height));
    const red: Rgb = [255, 40, 40];
    const put = (x: number, y: number): void => {
      const i = (y * width + x) * 3;
      frame[i] = red[0];
      frame[i + 1] = red[1];
      frame[i + 2] = red[2];
    };
    for (let w = 0; w < 3; w++) {
      for (let x = x0; x <= x1; x++) {
        put(x, Math.min(height - 1, y0 + w));
        put(x, Math.max(0, y1 - w));
      }
      for (let y = y0; y <= y1; y++) {
        put(Math.min(width - 1, x0 + w), y);
        put(Math.max(0, x1 - w), y);
      }
    }
    drawText(frame, width, height, caption, x0 + 2, Math.max(2, y0 - 20), 2, red);
  }
}

/** Distance from the camera's foot (the origin) to segment a–b. */
function segmentDistance(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
  return Math.hypot(ax + t * dx, ay + t * dy);
}
