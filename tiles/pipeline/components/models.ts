/**
 * The small modelled meshes L4 instances, one per component model: a street lamp (pole, arm and
 * lamp head), a manhole cover, a fire hydrant, a traffic signal (pole, mast arm, signal head
 * with three lights), a camera, a waste bin and a generic bollard. Built from cylinders and
 * boxes in glTF's frame (y up, metres, origin at the base centre, the arm pointing +x), one
 * part list per material; built once per process.
 */

export const COMPONENT_MODELS = ['street-lamp', 'manhole-cover', 'hydrant', 'traffic-signal', 'camera', 'waste-bin', 'generic'] as const;
export type ComponentModel = (typeof COMPONENT_MODELS)[number];

export interface ModelPart {
  name: string;
  color: [number, number, number, number];
  metallic: number;
  /** Lights glow: emissive colour. */
  emissive?: [number, number, number];
  positions: Float32Array;
  normals: Float32Array;
  indices: Uint16Array;
}

export interface ModelMesh {
  model: ComponentModel;
  /** Height of the model at scale 1 (metres). */
  heightM: number;
  parts: ModelPart[];
}

type Rgba = [number, number, number, number];

/** Accumulates triangles of one material. */
class PartBuilder {
  private p: number[] = [];
  private n: number[] = [];
  private i: number[] = [];

  constructor(
    readonly name: string,
    readonly color: Rgba,
    readonly metallic = 0,
    readonly emissive?: [number, number, number],
  ) {}

  private quad(a: number[], b: number[], c: number[], d: number[], normal: number[]): void {
    const base = this.p.length / 3;
    for (const v of [a, b, c, d]) {
      this.p.push(v[0]!, v[1]!, v[2]!);
      this.n.push(normal[0]!, normal[1]!, normal[2]!);
    }
    this.i.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }

  /** An axis-aligned box from min to max. */
  box(x0: number, y0: number, z0: number, x1: number, y1: number, z1: number): this {
    this.quad([x1, y0, z0], [x1, y1, z0], [x1, y1, z1], [x1, y0, z1], [1, 0, 0]);
    this.quad([x0, y0, z1], [x0, y1, z1], [x0, y1, z0], [x0, y0, z0], [-1, 0, 0]);
    this.quad([x0, y1, z0], [x0, y1, z1], [x1, y1, z1], [x1, y1, z0], [0, 1, 0]);
    this.quad([x0, y0, z1], [x0, y0, z0], [x1, y0, z0], [x1, y0, z1], [0, -1, 0]);
    this.quad([x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1], [0, 0, 1]);
    this.quad([x1, y0, z0], [x0, y0, z0], [x0, y1, z0], [x1, y1, z0], [0, 0, -1]);
    return this;
  }

  /** A vertical cylinder (or frustum) around (x, z) from y0 to y1, capped at both ends. */
  cylinder(x: number, z: number, y0: number, y1: number, r0: number, r1 = r0, segments = 8): this {
    for (let s = 0; s < segments; s++) {
      const a0 = (2 * Math.PI * s) / segments;
      const a1 = (2 * Math.PI * (s + 1)) / segments;
      const am = (a0 + a1) / 2;
      // Counter-clockwise seen from outside: angle grows from +x towards −z.
      const p = (a: number, r: number, y: number) => [x + r * Math.cos(a), y, z - r * Math.sin(a)];
      this.quad(p(a0, r0, y0), p(a1, r0, y0), p(a1, r1, y1), p(a0, r1, y1), [Math.cos(am), 0, -Math.sin(am)]);
    }
    const cap = (y: number, r: number, up: boolean) => {
      const base = this.p.length / 3;
      this.p.push(x, y, z);
      this.n.push(0, up ? 1 : -1, 0);
      for (let s = 0; s < segments; s++) {
        const a = (2 * Math.PI * s) / segments;
        this.p.push(x + r * Math.cos(a), y, z - r * Math.sin(a));
        this.n.push(0, up ? 1 : -1, 0);
      }
      for (let s = 0; s < segments; s++) {
        const a = base + 1 + s;
        const b = base + 1 + ((s + 1) % segments);
        if (up) this.i.push(base, a, b);
        else this.i.push(base, b, a);
      }
    };
    if (r1 > 0) cap(y1, r1, true);
    if (r0 > 0) cap(y0, r0, false);
    return this;
  }

  build(): ModelPart {
    const part: ModelPart = {
      name: this.name,
      color: this.color,
      metallic: this.metallic,
      positions: Float32Array.from(this.p),
      normals: Float32Array.from(this.n),
      indices: Uint16Array.from(this.i),
    };
    if (this.emissive) part.emissive = this.emissive;
    return part;
  }
}

const STEEL: Rgba = [0.36, 0.38, 0.4, 1];
const DARK: Rgba = [0.12, 0.12, 0.13, 1];
const IRON: Rgba = [0.22, 0.2, 0.19, 1];

function streetLamp(): ModelMesh {
  // A 10 m pole (scaled to the pole's height) with a 1.6 m arm and a flat LED head.
  const pole = new PartBuilder('pole', STEEL, 0.6).cylinder(0, 0, 0, 0.4, 0.18, 0.18).cylinder(0, 0, 0.4, 10, 0.09, 0.06).box(0, 9.7, -0.04, 1.6, 9.8, 0.04);
  const head = new PartBuilder('lamp-head', DARK, 0.3).box(1.2, 9.62, -0.18, 2.0, 9.78, 0.18);
  const light = new PartBuilder('light', [1, 0.96, 0.82, 1], 0, [1, 0.9, 0.6]).box(1.25, 9.6, -0.14, 1.95, 9.62, 0.14);
  return { model: 'street-lamp', heightM: 10, parts: [pole.build(), head.build(), light.build()] };
}

function manholeCover(): ModelMesh {
  const cover = new PartBuilder('cover', IRON, 0.7).cylinder(0, 0, 0, 0.04, 0.35, 0.35, 16);
  const rim = new PartBuilder('rim', STEEL, 0.7).box(-0.3, 0.04, -0.02, 0.3, 0.05, 0.02).box(-0.02, 0.04, -0.3, 0.02, 0.05, 0.3);
  return { model: 'manhole-cover', heightM: 0.05, parts: [cover.build(), rim.build()] };
}

function hydrant(): ModelMesh {
  const red: Rgba = [0.78, 0.1, 0.08, 1];
  const body = new PartBuilder('body', red, 0.2)
    .cylinder(0, 0, 0, 0.08, 0.16, 0.16)
    .cylinder(0, 0, 0.08, 0.65, 0.11, 0.11)
    .cylinder(0, 0, 0.65, 0.8, 0.11, 0.04)
    .box(-0.22, 0.42, -0.05, 0.22, 0.52, 0.05);
  const caps = new PartBuilder('caps', [0.85, 0.85, 0.82, 1], 0.5).box(-0.26, 0.41, -0.06, -0.22, 0.53, 0.06).box(0.22, 0.41, -0.06, 0.26, 0.53, 0.06);
  return { model: 'hydrant', heightM: 0.8, parts: [body.build(), caps.build()] };
}

function trafficSignal(): ModelMesh {
  const pole = new PartBuilder('pole', STEEL, 0.6).cylinder(0, 0, 0, 6.5, 0.14, 0.1).box(0, 6.2, -0.06, 5.5, 6.32, 0.06);
  const head = new PartBuilder('signal-head', DARK, 0.2).box(4.6, 5.3, -0.2, 5.0, 6.2, 0.2);
  const lights = [
    new PartBuilder('red', [0.9, 0.1, 0.08, 1], 0, [0.9, 0.1, 0.05]).box(4.62, 5.92, 0.2, 4.98, 6.14, 0.22),
    new PartBuilder('amber', [0.95, 0.65, 0.1, 1], 0, [0.6, 0.4, 0.05]).box(4.62, 5.64, 0.2, 4.98, 5.86, 0.22),
    new PartBuilder('green', [0.1, 0.8, 0.3, 1], 0, [0.05, 0.6, 0.2]).box(4.62, 5.36, 0.2, 4.98, 5.58, 0.22),
  ];
  return { model: 'traffic-signal', heightM: 6.5, parts: [pole.build(), head.build(), ...lights.map((l) => l.build())] };
}

function camera(): ModelMesh {
  // Mounted on a pole: a bracket from the pole's axis and a housing pointing +x.
  const bracket = new PartBuilder('bracket', STEEL, 0.6).box(0, -0.03, -0.03, 0.35, 0.03, 0.03).box(0.3, -0.12, -0.03, 0.36, 0.03, 0.03);
  const housing = new PartBuilder('housing', [0.9, 0.9, 0.88, 1], 0.1).box(0.22, -0.26, -0.09, 0.62, -0.12, 0.09);
  const lens = new PartBuilder('lens', DARK, 0.8).box(0.62, -0.23, -0.05, 0.64, -0.15, 0.05);
  return { model: 'camera', heightM: 0.3, parts: [bracket.build(), housing.build(), lens.build()] };
}

function wasteBin(): ModelMesh {
  const bin = new PartBuilder('bin', [0.16, 0.45, 0.3, 1], 0.1).cylinder(0, 0, 0, 0.85, 0.24, 0.28, 12);
  const lid = new PartBuilder('lid', [0.2, 0.2, 0.2, 1], 0.3).cylinder(0, 0, 0.85, 0.95, 0.3, 0.22, 12);
  return { model: 'waste-bin', heightM: 0.95, parts: [bin.build(), lid.build()] };
}

function generic(): ModelMesh {
  const post = new PartBuilder('post', [0.9, 0.7, 0.1, 1], 0.2).cylinder(0, 0, 0, 0.9, 0.1, 0.1);
  const band = new PartBuilder('band', DARK, 0.2).cylinder(0, 0, 0.9, 1.0, 0.1, 0.08);
  return { model: 'generic', heightM: 1, parts: [post.build(), band.build()] };
}

const BUILDERS: Record<ComponentModel, () => ModelMesh> = {
  'street-lamp': streetLamp,
  'manhole-cover': manholeCover,
  hydrant,
  'traffic-signal': trafficSignal,
  camera,
  'waste-bin': wasteBin,
  generic,
};

const cache = new Map<ComponentModel, ModelMesh>();

export function componentModel(model: ComponentModel): ModelMesh {
  let mesh = cache.get(model);
  if (!mesh) {
    mesh = BUILDERS[model]();
    cache.set(model, mesh);
  }
  return mesh;
}
