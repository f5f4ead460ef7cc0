/**
 * Property and quantity sets of IFC objects, flattened to `{ setName: { name: value } }`, read
 * through IfcRelDefinesByProperties: IfcPropertySet → IfcPropertySingleValue (NominalValue),
 * IfcElementQuantity → IfcQuantityArea/Length/Volume/Count/Weight/Time. Other property kinds
 * (enumerated, bounded, table, list values) keep their name with the first value web-ifc gives.
 */
import { IFCRELDEFINESBYPROPERTIES, type IfcAPI } from 'web-ifc';
import type { PropertySets } from './ifcModel';

/** Most properties kept per set: a set is metadata, not a data dump. */
const MAX_PROPERTIES_PER_SET = 200;
const QUANTITY_FIELDS = ['AreaValue', 'LengthValue', 'VolumeValue', 'CountValue', 'WeightValue', 'TimeValue'] as const;

interface IfcValue {
  value?: unknown;
}
type IfcLine = Record<string, unknown> & { expressID: number };

/** A STEP value as JSON: numbers, strings, booleans (`.T.`/`.F.`); undefined when absent. */
export function plainValue(v: unknown): string | number | boolean | undefined {
  if (v === null || v === undefined) return undefined;
  const inner = typeof v === 'object' && 'value' in (v as IfcValue) ? (v as IfcValue).value : v;
  if (typeof inner === 'number' || typeof inner === 'boolean') return inner;
  if (typeof inner === 'string') {
    if (inner === 'T') return true;
    if (inner === 'F') return false;
    return inner;
  }
  if (Array.isArray(inner)) return plainValue(inner[0]);
  // web-ifc keeps some measures as objects with a numeric getter.
  const n = Number(inner);
  return Number.isFinite(n) ? n : undefined;
}

export class PropertyReader {
  /** Object express id → its property definition ids. */
  private readonly byObject = new Map<number, number[]>();
  private readonly sets = new Map<number, { name: string; values: Record<string, string | number | boolean> } | null>();

  constructor(
    private readonly api: IfcAPI,
    private readonly model: number,
  ) {
    const rels = api.GetLineIDsWithType(model, IFCRELDEFINESBYPROPERTIES);
    for (let i = 0; i < rels.size(); i++) {
      const rel = api.GetLine(model, rels.get(i)) as IfcLine | undefined;
      const def = (rel?.RelatingPropertyDefinition as IfcValue | undefined)?.value;
      if (typeof def !== 'number') continue;
      for (const o of (rel?.RelatedObjects as IfcValue[] | undefined) ?? []) {
        if (typeof o.value !== 'number') continue;
        const list = this.byObject.get(o.value);
        if (list) list.push(def);
        else this.byObject.set(o.value, [def]);
      }
    }
  }

  of(expressId: number): PropertySets {
    const out: PropertySets = {};
    for (const id of this.byObject.get(expressId) ?? []) {
      const set = this.set(id);
      if (set) out[set.name] = { ...(out[set.name] ?? {}), ...set.values };
    }
    return out;
  }

  private set(id: number): { name: string; values: Record<string, string | number | boolean> } | null {
    const cached = this.sets.get(id);
    if (cached !== undefined) return cached;
    const line = this.api.GetLine(this.model, id) as IfcLine | undefined;
    let result: { name: string; values: Record<string, string | number | boolean> } | null = null;
    if (line) {
      const name = String(plainValue(line.Name) ?? `#${id}`);
      const values: Record<string, string | number | boolean> = {};
      const items = ((line.HasProperties ?? line.Quantities) as IfcValue[] | undefined) ?? [];
      for (const ref of items.slice(0, MAX_PROPERTIES_PER_SET)) {
        if (typeof ref.value !== 'number') continue;
        const p = this.api.GetLine(this.model, ref.value) as IfcLine | undefined;
        if (!p) continue;
        const key = String(plainValue(p.Name) ?? `#${ref.value}`);
        let value = plainValue(p.NominalValue) ?? plainValue(p.EnumerationValues);
        for (const f of QUANTITY_FIELDS) value ??= plainValue(p[f]);
        if (value !== undefined) values[key] = value;
      }
      result = { name, values };
    }
    this.sets.set(id, result);
    return result;
  }
}
