/**
 * Urban management components (部件) and their 16-digit codes.
 *
 * Code layout (GB/T 30428 family, CJ/T 214): 6-digit county code + 2-digit major class +
 * 2-digit minor class + 6-digit serial, e.g. `3205080101000001` is a water-supply manhole
 * cover. Minor class numbers vary between local editions of the standard; a city source may
 * ship its own catalogue (`component-classes.json`), this one is the default.
 */

export interface ComponentClass {
  /** Four digits: major class (2) + minor class (2). */
  code: string;
  zh: string;
  en: string;
  /** Lets the twin pick a model and the simulator a terminal without parsing names. */
  kind: ComponentKind;
}

export type ComponentKind = 'manhole-cover' | 'hydrant' | 'street-lamp' | 'traffic-signal';

export const MAJOR_CLASSES: Record<string, { zh: string; en: string }> = {
  '01': { zh: '公用设施', en: 'Public facilities' },
  '02': { zh: '道路交通', en: 'Road traffic' },
  '03': { zh: '市容环境', en: 'City appearance' },
  '04': { zh: '园林绿化', en: 'Landscaping' },
  '05': { zh: '房屋土地', en: 'Housing and land' },
  '06': { zh: '其他设施', en: 'Other facilities' },
};

export const DEFAULT_COMPONENT_CLASSES: ComponentClass[] = [
  { code: '0101', zh: '上水井盖', en: 'Water-supply manhole cover', kind: 'manhole-cover' },
  { code: '0102', zh: '污水井盖', en: 'Sewage manhole cover', kind: 'manhole-cover' },
  { code: '0103', zh: '雨水井盖', en: 'Storm-water manhole cover', kind: 'manhole-cover' },
  { code: '0105', zh: '电力井盖', en: 'Power manhole cover', kind: 'manhole-cover' },
  { code: '0106', zh: '路灯井盖', en: 'Street-lamp manhole cover', kind: 'manhole-cover' },
  { code: '0107', zh: '通讯井盖', en: 'Telecom manhole cover', kind: 'manhole-cover' },
  { code: '0111', zh: '燃气井盖', en: 'Gas manhole cover', kind: 'manhole-cover' },
  { code: '0114', zh: '消防栓', en: 'Fire hydrant', kind: 'hydrant' },
  { code: '0118', zh: '路灯', en: 'Street lamp pole', kind: 'street-lamp' },
  { code: '0208', zh: '交通信号灯', en: 'Traffic signal', kind: 'traffic-signal' },
];

const CODE_PATTERN = /^(\d{6})(\d{2})(\d{2})(\d{6})$/;

export interface ComponentCodeParts {
  countyCode: string;
  majorClass: string;
  minorClass: string;
  serial: number;
}

/** Builds a 16-digit component code; throws on parts that do not fit. */
export function formatComponentCode(countyCode: string, classCode: string, serial: number): string {
  if (!/^\d{6}$/.test(countyCode)) throw new RangeError(`county code must be 6 digits, got "${countyCode}"`);
  if (!/^\d{4}$/.test(classCode)) throw new RangeError(`class code must be 4 digits, got "${classCode}"`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 999_999) {
    throw new RangeError(`serial must be an integer in 1..999999, got ${serial}`);
  }
  return `${countyCode}${classCode}${String(serial).padStart(6, '0')}`;
}

/** Splits a 16-digit component code, or returns undefined when it is not one. */
export function parseComponentCode(code: string): ComponentCodeParts | undefined {
  const m = CODE_PATTERN.exec(code);
  if (!m) return undefined;
  return { countyCode: m[1], majorClass: m[2], minorClass: m[3], serial: Number(m[4]) };
}
