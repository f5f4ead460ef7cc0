/**
 * UI strings of the client's features (live, cases, flood, traffic, …), each kept beside its code as
 * `{ en: {...}, 'zh-CN': {...} }` under its own top-level key and merged into the messages here.
 * Adding an area is one import and one entry in AREAS.
 */
import casesMessages from '../../features/cases/i18n';
import { commandsMessages } from '../../features/commands/i18n';
import { emergencyMessages } from '../../features/emergency/i18n';
import environmentMessages from '../../features/environment/i18n';
import { floodMessages } from '../../features/flood/i18n';
import { greenwaveMessages } from '../../features/greenwave/i18n';
import historyMessages from '../../features/history/i18n';
import interiorMessages from '../../features/interior/i18n';
import layersMessages from '../../features/layers/i18n';
import levelsMessages from '../../features/levels/i18n';
import liveMessages from '../../features/live/i18n';
import measureMessages from '../../features/measure/i18n';
import onemapMessages from '../../features/onemap/i18n';
import screensMessages from '../../features/screens/i18n';
import searchMessages from '../../features/search/i18n';
import selectionMessages from '../../features/selection/i18n';
import tourMessages from '../../features/tour/i18n';
import { trafficMessages } from '../../features/traffic/i18n';
import type { AreaMessages } from './areaMessages';

export const AREAS: AreaMessages[] = [
  liveMessages,
  selectionMessages,
  levelsMessages,
  layersMessages,
  interiorMessages,
  searchMessages,
  measureMessages,
  environmentMessages,
  onemapMessages,
  screensMessages,
  tourMessages,
  casesMessages,
  floodMessages,
  greenwaveMessages,
  trafficMessages,
  commandsMessages,
  emergencyMessages,
  historyMessages,
];

export function mergeAreas<T extends Record<string, unknown>>(base: T, locale: 'en' | 'zh-CN'): T {
  const merged: Record<string, unknown> = { ...base };
  for (const area of AREAS) Object.assign(merged, area[locale]);
  return merged as T;
}
