/**
 * Colour ramps for analysis rasters drawn over the twin (viewshed, hours of sun, flood depth and
 * differences): value grids → RGBA pixels, row 0 north, transparent where there is nothing to say.
 * Pure, so the legend's numbers and the picture can be checked in Node.
 */

export type Rgba = [number, number, number, number];

/** Linear ramp through stops [value, rgba], clamped at both ends. */
export function rampColour(stops: ReadonlyArray<readonly [number, Rgba]>, v: number): Rgba {
  if (v <= stops[0]![0]) return stops[0]![1];
  for (let i = 1; i < stops.length; i++) {
    const [v1, c1] = stops[i]!;
    if (v <= v1) {
      const [v0, c0] = stops[i - 1]!;
      const f = (v - v0) / (v1 - v0);
      return c0.map((c, k) => Math.round(c + (c1[k]! - c) * f)) as Rgba;
    }
  }
  return stops[stops.length - 1]![1];
}

/** Paints `values` with `colour` (null: transparent) into a new RGBA buffer. */
export function paint(values: ArrayLike<number>, colour: (v: number) => Rgba | null): Uint8ClampedArray {
  const px = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const c = colour(values[i]!);
    if (c) px.set(c, i * 4);
  }
  return px;
}

/** Hours of direct sun: dark blue at none, through teal, to warm yellow at `fullH` and above. */
export function sunHoursColour(fullH: number): (h: number) => Rgba | null {
  const stops: Array<[number, Rgba]> = [
    [0, [30, 40, 140, 190]],
    [fullH * 0.33, [40, 150, 190, 170]],
    [fullH * 0.66, [140, 210, 90, 160]],
    [fullH, [255, 210, 60, 150]],
  ];
  return (h) => (Number.isNaN(h) ? null : rampColour(stops, h));
}

/** A signed difference: red where it went down, blue where up, clear within ±`quietAt`. */
export function differenceColour(fullAt: number, quietAt: number): (d: number) => Rgba | null {
  return (d) => {
    if (Number.isNaN(d) || Math.abs(d) < quietAt) return null;
    const f = Math.min(1, Math.abs(d) / fullAt);
    const alpha = Math.round(110 + 120 * f);
    return d < 0 ? [230, Math.round(140 * (1 - f)), 40, alpha] : [40, Math.round(120 + 60 * (1 - f)), 235, alpha];
  };
}

/** Water depth, m: as the flood panel's water surface (clear below 5 cm, deepest blue at 2 m). */
export function depthColour(d: number): Rgba | null {
  if (Number.isNaN(d) || d < 0.05) return null;
  const f = Math.min(d / 2, 1);
  return [Math.round(120 * (1 - f)), Math.round(190 - 120 * f), Math.round(255 - 60 * f), Math.round(140 + 90 * f)];
}
