/**
 * Components (manhole covers, hydrants, lamp poles…) as points with 16-digit component codes,
 * from GeoJSON Point features, shapefile points or CSV rows — checked against the code layout
 * and the class catalogue (domain/components.ts, or the source's own catalogue).
 *
 * Attribute names read (first present wins): code — `code`, `componentCode`, `部件编码`, `编码`,
 * `BJBM`; class — `classCode`, `class`, `类别代码`, else digits 7–10 of the code; owner —
 * `ownerId`, `owner`, `department`, `主管部门`, `权属单位`, else "unassigned".
 */
import type { ComponentProps } from '../../domain/citySource';
import type { ComponentClass } from '../../domain/components';
import type { Point } from '../pipeline/geojson';
import { FeatureRejection } from '../source/geometryChecks';
import { COMPONENTS, parseFeature } from '../source/layerValidators';
import { isRecord } from '../source/propertyChecks';
import type { RawFeature } from './footprintFeatures';
import { LayerCollector, firstPresent, idOf, reprojector, type ImportedLayer, type Reprojector } from './importedLayer';

export const CODE_KEYS = ['code', 'CODE', 'componentCode', '部件编码', '编码', 'BJBM'];
export const CLASS_KEYS = ['classCode', 'class', 'CLASS', '类别代码', 'LBDM'];
export const OWNER_KEYS = ['ownerId', 'owner', 'department', '主管部门', '权属单位'];
export const UNASSIGNED_OWNER = 'unassigned';

/** A raw point with the CRS it is given in (CSV rows may each name their own). */
export interface RawPoint extends RawFeature {
  crs: string;
}

export function importComponents(
  file: string,
  layerCrs: string,
  points: Iterable<RawPoint>,
  catalogue: readonly ComponentClass[],
  notes: string[] = [],
): ImportedLayer<Point, ComponentProps> {
  const layer = new LayerCollector<Point, ComponentProps>(file, layerCrs);
  layer.notes.push(...notes);
  const classes = new Map(catalogue.map((c) => [c.code, c]));
  const projectors = new Map<string, Reprojector>();
  const projectorFor = (crs: string): Reprojector => {
    let p = projectors.get(crs);
    if (!p) projectors.set(crs, (p = reprojector(crs)));
    return p;
  };
  let index = 0;
  for (const raw of points) {
    const i = index++;
    const props = isRecord(raw.properties) ? raw.properties : {};
    const code = firstPresent(props, CODE_KEYS);
    layer.add(i, idOf(code?.value) ?? idOf(raw.id), () => {
      if (raw.malformed !== undefined) throw new FeatureRejection(raw.malformed);
      const properties = componentProperties(props);
      const known = classes.get(String(properties.classCode));
      if (typeof properties.classCode === 'string' && /^\d{4}$/.test(properties.classCode) && !known) {
        throw new FeatureRejection(`classCode ${properties.classCode} is not in the component class catalogue`);
      }
      const parsed = parseFeature({ type: 'Feature', properties, geometry: projectorFor(raw.crs)(raw.geometry) }, COMPONENTS);
      return { ...parsed, key: parsed.properties.code };
    });
  }
  return layer.done();
}

/** Raw attributes → the component layer's property names, for the source validator to check. */
function componentProperties(props: Record<string, unknown>): Record<string, unknown> {
  const code = firstPresent(props, CODE_KEYS);
  if (!code) throw new FeatureRejection(`no component code (looked for ${CODE_KEYS.join(', ')})`);
  // Spreadsheets turn codes into numbers and lose leading zeros or digits beyond 2^53; say so.
  if (typeof code.value === 'number') {
    if (!Number.isSafeInteger(code.value)) throw new FeatureRejection(`${code.key} ${code.value} lost digits as a number; store codes as text`);
  }
  const codeText = String(code.value).trim();
  const cls = firstPresent(props, CLASS_KEYS);
  const classCode = cls ? String(cls.value).trim() : codeText.slice(6, 10);
  const owner = firstPresent(props, OWNER_KEYS);
  const out: Record<string, unknown> = { code: codeText, classCode, ownerId: owner ? String(owner.value).trim() : UNASSIGNED_OWNER };
  const grid = firstPresent(props, ['gridCode', '网格编码']);
  if (grid) out.gridCode = String(grid.value).trim();
  return out;
}
