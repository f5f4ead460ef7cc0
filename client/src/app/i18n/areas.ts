/**
 * UI strings of the client's features (live, cases, flood, traffic, …), each kept beside its code as
 * `{ en: {...}, 'zh-CN': {...} }` under its own top-level key and merged into the messages here.
 * Adding an area is one import and one entry in AREAS.
 */
import bimMessages from '../../features/bim/i18n';
import casesMessages from '../../features/cases/i18n';
import { commandsMessages } from '../../features/commands/i18n';
import { energyMessages } from '../../features/energy/i18n';
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
import staffSimMessages from '../../features/staffSim/i18n';
import { trafficMessages } from '../../features/traffic/i18n';
import videoMessages from '../../features/video/i18n';
import videoFusionMessages from '../../features/videoFusion/i18n';
import undergroundMessages from '../../features/underground/i18n';
import planningMessages from '../../features/planning/i18n';
import sectionMessages from '../../features/section/i18n';
import compareMessages from '../../features/compare/i18n';
import sightMessages from '../../features/sight/i18n';
import type { AreaMessages } from './areaMessages';

export const AREAS: AreaMessages[] = [
  liveMessages,
  selectionMessages,
  levelsMessages,
  layersMessages,
  interiorMessages,
  bimMessages,
  searchMessages,
  measureMessages,
  environmentMessages,
  onemapMessages,
  screensMessages,
  tourMessages,
  casesMessages,
  floodMessages,
  greenwaveMessages,
  energyMessages,
  trafficMessages,
  videoMessages,
  commandsMessages,
  emergencyMessages,
  historyMessages,
  staffSimMessages,
  videoFusionMessages,
  undergroundMessages,
  planningMessages,
  sectionMessages,
  compareMessages,
  sightMessages,
];

export function mergeAreas<T extends Record<string, unknown>>(base: T, locale: 'en' | 'zh-CN'): T {
  const merged: Record<string, unknown> = { ...base };
  for (const area of AREAS) Object.assign(merged, area[locale]);
  return merged as T;
}
