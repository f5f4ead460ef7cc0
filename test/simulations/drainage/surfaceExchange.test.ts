import { describe, expect, it } from 'vitest';
import { G } from '../../../simulations/drainage/crossSection';
import { DEFAULT_EXCHANGE, exchangeRateM3s, type ExchangeState } from '../../../simulations/drainage/surfaceExchange';

const inlet = { areaM2: 0.4, perimeterM: 2.2 };
const state = (s: Partial<ExchangeState>): ExchangeState => ({
  groundM: 10,
  surfaceDepthM: 0,
  surfaceAreaM2: 25,
  nodeHeadM: 8,
  nodeAreaM2: 1.5,
  nodeVolumeAboveGroundM3: 0,
  ...s,
});
const c = DEFAULT_EXCHANGE;

describe('surface ↔ node exchange', () => {
  it('takes shallow water over the inlet rim as a free weir', () => {
    const h = 0.05;
    expect(exchangeRateM3s(state({ surfaceDepthM: h }), inlet, c, 1)).toBeCloseTo(c.weir * 2.2 * h * Math.sqrt(2 * G * h), 12);
  });
  it('takes deep water no faster than the free orifice', () => {
    const h = 0.6;
    expect(exchangeRateM3s(state({ surfaceDepthM: h }), inlet, c, 1)).toBeCloseTo(c.orifice * 0.4 * Math.sqrt(2 * G * h), 12);
  });
  it('uses the submerged orifice on the head difference once the node stands above the ground', () => {
    const q = exchangeRateM3s(state({ surfaceDepthM: 0.3, nodeHeadM: 10.1 }), inlet, c, 0.01);
    expect(q).toBeCloseTo(c.orifice * 0.4 * Math.sqrt(2 * G * 0.2), 12);
  });
  it('spills a surcharged node onto the street through the orifice', () => {
    const q = exchangeRateM3s(state({ surfaceDepthM: 0.1, nodeHeadM: 10.5, nodeVolumeAboveGroundM3: 10 }), inlet, c, 0.01);
    expect(q).toBeCloseTo(-c.orifice * 0.4 * Math.sqrt(2 * G * 0.4), 12);
  });
  it('never takes more than the cell holds, nor overshoots the level of the other side', () => {
    // 1 mm of water on a 25 m² cell over a long step: at most its 0.025 m³.
    expect(exchangeRateM3s(state({ surfaceDepthM: 0.002 }), inlet, c, 100) * 100).toBeLessThanOrEqual(0.002 * 25 + 1e-15);
    // A node 0.5 m above a dry street: at most what levels the two (the volume above ground is ample).
    const q = exchangeRateM3s(state({ nodeHeadM: 10.5, nodeVolumeAboveGroundM3: 100 }), inlet, c, 100);
    expect(-q * 100).toBeCloseTo(0.5 / (1 / 25 + 1 / 1.5), 9);
    // Equal levels: nothing moves.
    expect(exchangeRateM3s(state({ surfaceDepthM: 0.2, nodeHeadM: 10.2 }), inlet, c, 1)).toBe(0);
  });
});
