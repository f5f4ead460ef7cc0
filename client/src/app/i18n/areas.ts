/**
 * UI strings of the client's areas (cases, flood, traffic, …), each kept beside its code as
 * `{ en: {...}, 'zh-CN': {...} }` under its own top-level key and merged into the messages here.
 * Adding an area is one import and one entry in AREAS.
 */
import casesMessages from '../../features/cases/i18n';
import { floodMessages } from '../../features/flood/i18n';
import { greenwaveMessages } from '../../features/greenwave/i18n';
import { trafficMessages } from '../../features/traffic/i18n';

export interface AreaMessages {
  en: Record<string, unknown>;
  'zh-CN': Record<string, unknown>;
}

export const AREAS: AreaMessages[] = [casesMessages, floodMessages, greenwaveMessages, trafficMessages];

export function mergeAreas<T extends Record<string, unknown>>(base: T, locale: 'en' | 'zh-CN'): T {
  const merged: Record<string, unknown> = { ...base };
  for (const area of AREAS) Object.assign(merged, area[locale]);
  return merged as T;
}
