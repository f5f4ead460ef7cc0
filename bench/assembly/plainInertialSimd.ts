/**
 * AssemblyScript (compiled by bench/floodSimd.ts, not by tsc): the fair plain kernel of
 * test/simulations/flood/plainInertial.ts as WebAssembly with 128-bit SIMD, four float32 cells
 * per instruction. A measured prototype of the route issue 14 names for the flood solver, run in
 * the flood benchmark beside the plain kernel it ports; the solver does not use it.
 *
 * Same scheme, same three passes (x-faces, y-faces, depths), same positivity rule (each face's
 * outflow at most a quarter of its upwind cell's water, so the faces of one pass are independent
 * and vectorise), same edges (closed). Differences from the JavaScript kernel: the face
 * arithmetic is float32 (the JavaScript one computes in float64 between float32 loads and
 * stores), and ∛h_f is a bit-pattern guess refined by two Halley steps in float32 (relative error
 * near float32 rounding) instead of Math.cbrt, a call out of generated code in V8.
 *
 * Memory layout (byte offsets passed in): z and h, ncols·nrows float32 each; qx, (ncols + 1)·nrows;
 * qy, ncols·(nrows + 1). Edge faces stay zero (closed).
 */

const G: f32 = 9.81;
/** Faces shallower than this carry nothing (as the JavaScript kernel). */
const FACE_DEPTH_EPS_M: f32 = 1e-4;
/** Float32 bit pattern of 1 in the cube-root guess: (bits(x) / 3) + this ≈ bits(∛x) (Kahan). */
const CBRT_GUESS_BIAS: i32 = 709958130;

/** ∛x for four positive normal float32 x. */
@inline function cubeRoot4(x: v128): v128 {
  let t = i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.mul(f32x4.convert_i32x4_s(x), f32x4.splat(<f32>(1.0 / 3.0)))), i32x4.splat(CBRT_GUESS_BIAS));
  const twoX = f32x4.add(x, x);
  // Halley: t ← t·(t³ + 2x)/(2t³ + x), cubic convergence: ~5 bits, then ~15, then float32.
  for (let k = 0; k < 2; k++) {
    const t3 = f32x4.mul(f32x4.mul(t, t), t);
    t = f32x4.div(f32x4.mul(t, f32x4.add(t3, twoX)), f32x4.add(f32x4.add(t3, t3), x));
  }
  return t;
}

/**
 * New discharge (m²/s) on four faces between cells a (west or north) and b: Bates et al. (2010)
 * eq. 11 with h^(7/3) multiplied through, capped at a quarter of the upwind water.
 * `gDtDx` = g·Δt/Δx (1/s), `gDtN2` = g·Δt·n² (the friction factor), `capPerS` = Δx/(4Δt) (m/s).
 */
@inline function faceFlux4(qM2s: v128, haM: v128, zaM: v128, hbM: v128, zbM: v128, gDtDx: v128, gDtN2: v128, capPerS: v128): v128 {
  // Not η = h + z: float32 keeps a 20 m surface to 2e-6 m, a film of rain to 0.4 %. Differences
  // of nearby beds are exact in float32 (Sterbenz), so the face depth max(η_A, η_B) − max(z_A, z_B)
  // and the surface step η_B − η_A are formed from depths and bed differences.
  const zTopM = f32x4.max(zaM, zbM);
  const hfRaw = f32x4.max(f32x4.add(haM, f32x4.sub(zaM, zTopM)), f32x4.add(hbM, f32x4.sub(zbM, zTopM)));
  const etaStepM = f32x4.add(f32x4.sub(hbM, haM), f32x4.sub(zbM, zaM));
  const wet = f32x4.gt(hfRaw, f32x4.splat(FACE_DEPTH_EPS_M));
  // Dry lanes are computed on a safe depth and zeroed at the end.
  const hfM = f32x4.max(hfRaw, f32x4.splat(FACE_DEPTH_EPS_M));
  const hf73 = f32x4.mul(f32x4.mul(hfM, hfM), cubeRoot4(hfM));
  const driven = f32x4.sub(qM2s, f32x4.mul(f32x4.mul(gDtDx, hfM), etaStepM));
  let next = f32x4.div(f32x4.mul(driven, hf73), f32x4.add(hf73, f32x4.mul(gDtN2, f32x4.abs(qM2s))));
  next = f32x4.min(next, f32x4.mul(capPerS, haM));
  next = f32x4.max(next, f32x4.neg(f32x4.mul(capPerS, hbM)));
  return v128.and(next, wet);
}

/** One face through lane 0 of faceFlux4: the rows' last cells, when ncols is not a multiple of four. */
@inline function faceFlux1(q: usize, ha: usize, za: usize, hb: usize, zb: usize, gDtDx: v128, gDtN2: v128, capPerS: v128): void {
  const next = faceFlux4(f32x4.splat(load<f32>(q)), f32x4.splat(load<f32>(ha)), f32x4.splat(load<f32>(za)), f32x4.splat(load<f32>(hb)), f32x4.splat(load<f32>(zb)), gDtDx, gDtN2, capPerS);
  store<f32>(q, f32x4.extract_lane(next, 0));
}

/** One step of Δt seconds with `rainM` metres of rain; returns the deepest cell after it (m). */
export function step(ncols: i32, nrows: i32, dxM: f32, n2: f32, dtS: f32, rainM: f32, z: usize, h: usize, qx: usize, qy: usize): f32 {
  const gDtDx = f32x4.splat((G * dtS) / dxM);
  const gDtN2 = f32x4.splat(G * dtS * n2);
  const capPerS = f32x4.splat((0.25 * dxM) / dtS);
  const rowBytes = <usize>ncols << 2;
  // x-faces: face c of row r lies between cells c − 1 and c; faces 1 … ncols − 1 are inside.
  for (let r = 0; r < nrows; r++) {
    const cell = <usize>r * rowBytes;
    const face = qx + <usize>r * (rowBytes + 4);
    let c = 1;
    for (; c + 4 <= ncols; c += 4) {
      const a = cell + (<usize>(c - 1) << 2);
      const f = face + (<usize>c << 2);
      v128.store(f, faceFlux4(v128.load(f), v128.load(h + a), v128.load(z + a), v128.load(h + a + 4), v128.load(z + a + 4), gDtDx, gDtN2, capPerS));
    }
    for (; c < ncols; c++) {
      const a = cell + (<usize>(c - 1) << 2);
      faceFlux1(face + (<usize>c << 2), h + a, z + a, h + a + 4, z + a + 4, gDtDx, gDtN2, capPerS);
    }
  }
  // y-faces: face row r lies between cell rows r − 1 and r; rows 1 … nrows − 1 are inside.
  for (let r = 1; r < nrows; r++) {
    const south = <usize>r * rowBytes;
    const north = south - rowBytes;
    let c = 0;
    for (; c + 4 <= ncols; c += 4) {
      const o = <usize>c << 2;
      const f = qy + south + o;
      v128.store(f, faceFlux4(v128.load(f), v128.load(h + north + o), v128.load(z + north + o), v128.load(h + south + o), v128.load(z + south + o), gDtDx, gDtN2, capPerS));
    }
    for (; c < ncols; c++) {
      const o = <usize>c << 2;
      faceFlux1(qy + south + o, h + north + o, z + north + o, h + south + o, z + south + o, gDtDx, gDtN2, capPerS);
    }
  }
  // Continuity (eq. 12) and rain.
  const dtDx = f32x4.splat(dtS / dxM);
  const rain = f32x4.splat(rainM);
  let deepest = f32x4.splat(0);
  for (let r = 0; r < nrows; r++) {
    const cell = <usize>r * rowBytes;
    const west = qx + <usize>r * (rowBytes + 4);
    let c = 0;
    for (; c + 4 <= ncols; c += 4) {
      const o = <usize>c << 2;
      const net = f32x4.add(f32x4.sub(v128.load(west + o), v128.load(west + o + 4)), f32x4.sub(v128.load(qy + cell + o), v128.load(qy + cell + rowBytes + o)));
      const hn = f32x4.add(f32x4.add(v128.load(h + cell + o), f32x4.mul(dtDx, net)), rain);
      v128.store(h + cell + o, hn);
      deepest = f32x4.max(deepest, hn);
    }
    for (; c < ncols; c++) {
      const o = <usize>c << 2;
      const net = load<f32>(west + o) - load<f32>(west + o + 4) + load<f32>(qy + cell + o) - load<f32>(qy + cell + rowBytes + o);
      const hn = load<f32>(h + cell + o) + (dtS / dxM) * net + rainM;
      store<f32>(h + cell + o, hn);
      deepest = f32x4.max(deepest, f32x4.splat(hn));
    }
  }
  const pair = f32x4.max(deepest, v128.shuffle<f32>(deepest, deepest, 2, 3, 0, 1));
  return Mathf.max(f32x4.extract_lane(pair, 0), f32x4.extract_lane(pair, 1));
}
