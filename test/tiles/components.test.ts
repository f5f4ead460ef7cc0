/**
 * L4 pure parts: which model a class gets, which way a lamp faces its road, and an instanced
 * tile of every model through the validator with its instances where they were put.
 */
import { describe, expect, it } from 'vitest';
import { componentTileGlb, modelExtent, type ComponentInstance } from '../../tiles/pipeline/components/componentGlb';
import { modelForClass, yawTowards } from '../../tiles/pipeline/components/instances';
import { COMPONENT_MODELS } from '../../tiles/pipeline/components/models';
import { glbProblems } from '../support/gltfValidator';
import { parseGlb, readAccessor, readPropertyTable } from './glbReader';

describe('modelForClass', () => {
  it('takes the catalogue kind, then words in the class name, else the generic bollard', () => {
    const local = [
      { code: '0301', zh: '果皮箱', en: 'Litter bin', kind: 'street-lamp' as const },
      { code: '0302', zh: '治安监控', en: 'Security CCTV', kind: 'hydrant' as const },
    ];
    expect(modelForClass('0101', [])).toBe('manhole-cover');
    expect(modelForClass('0114', [])).toBe('hydrant');
    expect(modelForClass('0208', [])).toBe('traffic-signal');
    // A local catalogue's kind wins over its name.
    expect(modelForClass('0301', local)).toBe('street-lamp');
    expect(modelForClass('0303', [{ code: '0303', zh: '垃圾箱', en: 'Waste bin', kind: 'unknown' as never }])).toBe('waste-bin');
    expect(modelForClass('0999', [])).toBe('generic');
  });
});

describe('yawTowards', () => {
  it('turns towards the nearest point of the road (counter-clockwise from east)', () => {
    // A road running east-west 0.0001° (≈ 11 m) north of the point: face north, 90°.
    expect(yawTowards(113.7, 22.83, [[113.69, 22.8301], [113.71, 22.8301]])).toBeCloseTo(90, 0);
    // A north-south road to the west: 180°.
    expect(Math.abs(yawTowards(113.7, 22.83, [[113.6999, 22.82], [113.6999, 22.84]])!)).toBeCloseTo(180, 0);
    expect(yawTowards(113.7, 22.83, [[113.7, 22.83]])).toBeUndefined();
  });
});

describe('componentTileGlb', () => {
  it('writes one instanced node per model, valid, instances and ids where they were put', async () => {
    const instances: ComponentInstance[] = COMPONENT_MODELS.flatMap((model) =>
      [0, 1].map((k) => ({
        id: `${model}-${k}`,
        code: '',
        classCode: '',
        model,
        groundHeight: 2,
        lon: 0,
        lat: 0,
        mountM: model === 'camera' ? 6 : 0,
        yawDeg: 90 * k,
        scaleY: model === 'street-lamp' ? 1.2 : 1,
      })),
    );
    // Model m's two instances at (10 m, 0) and (10 m, 5) east/north, 2 m up.
    const enu = Float64Array.from(instances.flatMap((_, i) => [10 * Math.floor(i / 2), 5 * (i % 2), 2]));
    const items = instances.map((_, i) => i).reverse();
    const glb = componentTileGlb({ instances, enu }, items, [30, 2.5, 2]);
    expect(await glbProblems(glb)).toEqual([]);
    const parsed = parseGlb(glb);
    const rows = readPropertyTable(parsed);
    expect(rows).toHaveLength(instances.length);
    expect(parsed.json.extensionsRequired).toEqual(['EXT_mesh_gpu_instancing']);
    for (const node of parsed.json.nodes!) {
      const ext = node.extensions!.EXT_mesh_gpu_instancing as { attributes: Record<string, number> };
      const t = readAccessor(parsed, ext.attributes.TRANSLATION!);
      const s = readAccessor(parsed, ext.attributes.SCALE!);
      const ids = readAccessor(parsed, ext.attributes._FEATURE_ID_0!);
      expect(ids).toHaveLength(2);
      ids.forEach((fid, k) => {
        const row = rows[fid]!;
        expect(row.model).toBe(node.name);
        const i = instances.findIndex((c) => c.id === row.id);
        // glTF y-up around the centre, back to ENU.
        expect(t[3 * k]! + 30).toBeCloseTo(enu[3 * i]!, 4);
        expect(-(t[3 * k + 2]!) + 2.5).toBeCloseTo(enu[3 * i + 1]!, 4);
        expect(t[3 * k + 1]! + 2).toBeCloseTo(enu[3 * i + 2]! + instances[i]!.mountM, 4);
        expect(s[3 * k + 1]).toBeCloseTo(instances[i]!.scaleY, 6);
      });
    }
    expect(modelExtent('street-lamp').maxY).toBeCloseTo(10, 6);
  });
});
