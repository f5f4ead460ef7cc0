/**
 * The video patrol's pure rules (which cameras a grid cell, road or list names; the wall's pages)
 * and the live view's choice of stream and token renewal.
 */
import { describe, expect, it } from 'vitest';
import { pageCount, parseIdList, patrolCameras, wallColumns, wallPage } from '../../client/src/features/video/core/patrol';
import { chooseStream, refreshDelayMs } from '../../client/src/features/video/core/streamChoice';

const cams = [
  { id: 'P3-camera', roadId: 'R1', gridCode: '44190000100101' },
  { id: 'P1-camera', roadId: 'R1', gridCode: '44190000100102' },
  { id: 'P2-camera', roadId: 'R2', gridCode: '44190000100101' },
  { id: 'P4-traffic-camera', roadId: 'R2', gridCode: '44190000200101' },
];

describe('video patrol', () => {
  it('takes the cameras of a grid cell or a prefix, of a road, or of a list in its order', () => {
    expect(patrolCameras(cams, { kind: 'grid', code: '44190000100101' })).toEqual(['P2-camera', 'P3-camera']);
    expect(patrolCameras(cams, { kind: 'grid', code: '441900001' })).toEqual(['P1-camera', 'P2-camera', 'P3-camera']);
    expect(patrolCameras(cams, { kind: 'grid', code: '' })).toEqual([]);
    expect(patrolCameras(cams, { kind: 'road', roadId: 'R2' })).toEqual(['P2-camera', 'P4-traffic-camera']);
    expect(patrolCameras(cams, { kind: 'list', ids: ['P4-traffic-camera', 'nope', 'P1-camera', 'P4-traffic-camera'] })).toEqual(['P4-traffic-camera', 'P1-camera']);
    expect(parseIdList('P1-camera, P2-camera\nP3-camera；P4')).toEqual(['P1-camera', 'P2-camera', 'P3-camera', 'P4']);
  });

  it('pages a wall through the cameras and wraps round', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `C${i}`);
    expect(pageCount(10, 4)).toBe(3);
    expect(pageCount(0, 9)).toBe(1);
    expect(wallPage(ids, 4, 0)).toEqual(['C0', 'C1', 'C2', 'C3']);
    expect(wallPage(ids, 4, 2)).toEqual(['C8', 'C9']);
    expect(wallPage(ids, 4, 3)).toEqual(wallPage(ids, 4, 0));
    expect(wallPage(ids, 9, 1)).toEqual(['C9']);
    expect(wallPage(ids, 9, -1)).toEqual(['C9']);
    expect([wallColumns(4), wallColumns(9)]).toEqual([2, 3]);
  });
});

describe('stream choice', () => {
  it('plays HLS first, then HTTP-FLV; only WHEP or nothing means the twin view', () => {
    expect(chooseStream([{ protocol: 'flv', url: '/a.flv' }, { protocol: 'hls', url: '/a.m3u8' }])).toEqual({ kind: 'hls', url: '/a.m3u8' });
    expect(chooseStream([{ protocol: 'whep', url: '/w' }, { protocol: 'flv', url: '/a.flv' }])).toEqual({ kind: 'flv', url: '/a.flv' });
    expect(chooseStream([{ protocol: 'whep', url: '/w' }])).toEqual({ kind: 'none', reason: 'unsupported' });
    expect(chooseStream([])).toEqual({ kind: 'none', reason: 'no-stream' });
  });

  it('renews a stream token 30 s before it expires, never sooner than 5 s', () => {
    expect(refreshDelayMs(600_000, 0)).toBe(570_000);
    expect(refreshDelayMs(10_000, 0)).toBe(5000);
  });
});
