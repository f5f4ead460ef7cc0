/**
 * The fusion list's rules (client/src/features/videoFusion/core/fusionList.ts): at most MAX_FUSED
 * cameras, the oldest dropped first, re-fusing moves a camera to the end, opacity kept in [0, 1],
 * and each frustum drawn once with the fused ones marked.
 */
import { describe, expect, it } from 'vitest';
import { addFused, clampOpacity, DEFAULT_OPACITY, frustumsToDraw, MAX_FUSED, removeFused, withOpacity } from '../../client/src/features/videoFusion/core/fusionList';

describe('fusion list', () => {
  it('drops the camera fused longest ago when one more than MAX_FUSED is fused', () => {
    let list = addFused([], 'C1').list;
    for (let i = 2; i <= MAX_FUSED; i++) list = addFused(list, `C${i}`).list;
    expect(list.map((c) => c.cameraId)).toEqual(Array.from({ length: MAX_FUSED }, (_, i) => `C${i + 1}`));
    const next = addFused(list, 'C9');
    expect(next.dropped).toEqual(['C1']);
    expect(next.list.map((c) => c.cameraId)).toEqual([...list.slice(1).map((c) => c.cameraId), 'C9']);
  });

  it('moves a camera fused again to the end, with its new opacity, dropping none', () => {
    const list = addFused(addFused([], 'A').list, 'B').list;
    const again = addFused(list, 'A', 0.4);
    expect(again.dropped).toEqual([]);
    expect(again.list).toEqual([
      { cameraId: 'B', opacity: DEFAULT_OPACITY },
      { cameraId: 'A', opacity: 0.4 },
    ]);
    expect(removeFused(again.list, 'B')).toEqual([{ cameraId: 'A', opacity: 0.4 }]);
  });

  it('keeps opacity in [0, 1] and falls back to the default for a non-number', () => {
    expect(clampOpacity(1.5)).toBe(1);
    expect(clampOpacity(-0.2)).toBe(0);
    expect(clampOpacity(Number.NaN)).toBe(DEFAULT_OPACITY);
    expect(withOpacity([{ cameraId: 'A', opacity: 0.5 }], 'A', 2)).toEqual([{ cameraId: 'A', opacity: 1 }]);
  });

  it('draws each frustum once: fused first and marked, then live views, then the selected pole', () => {
    const fused = [{ cameraId: 'A', opacity: 1 }];
    expect(frustumsToDraw(fused, ['B', 'A'], ['C', 'B'])).toEqual([
      { id: 'A', fused: true },
      { id: 'B', fused: false },
      { id: 'C', fused: false },
    ]);
  });
});
