/**
 * The side panels a user switches between (alarms, cases, flood, traffic, …). Each area of the
 * client adds one entry here; App.vue renders the tabs. Components load lazily so the twin shows
 * before panels nobody opened are parsed.
 */
import { defineAsyncComponent, type Component } from 'vue';
import AlarmPanel from '../features/live/AlarmPanel.vue';
import LayerPanel from '../features/layers/LayerPanel.vue';
import ToolsPanel from '../features/tools/ToolsPanel.vue';

export interface PanelDef {
  /** Stable id, also used in `?panel=` and by tests (`data-testid="panel-tab-<id>"`). */
  id: string;
  /** vue-i18n key of the tab's title. */
  titleKey: string;
  component: Component;
}

export const PANELS: PanelDef[] = [
  { id: 'alarms', titleKey: 'panels.alarms', component: AlarmPanel },
  { id: 'cases', titleKey: 'cases.title', component: lazy(() => import('../features/cases/CasesPanel.vue')) },
  { id: 'layers', titleKey: 'panels.layers', component: LayerPanel },
  { id: 'tools', titleKey: 'panels.tools', component: ToolsPanel },
  { id: 'greenwave', titleKey: 'greenwave.title', component: lazy(() => import('../features/greenwave/GreenWavePanel.vue')) },
  { id: 'traffic', titleKey: 'traffic.title', component: lazy(() => import('../features/traffic/TrafficPanel.vue')) },
  { id: 'emergency', titleKey: 'emergency.title', component: lazy(() => import('../features/emergency/EmergencyPanel.vue')) },
  { id: 'flood', titleKey: 'flood.title', component: lazy(() => import('../features/flood/FloodPanel.vue')) },
  { id: 'vitals', titleKey: 'history.vitals', component: lazy(() => import('../features/history/VitalsPanel.vue')) },
  { id: 'video', titleKey: 'video.title', component: lazy(() => import('../features/video/VideoPanel.vue')) },
  { id: 'planning', titleKey: 'planning.title', component: lazy(() => import('../features/planning/PlanningPanel.vue')) },
  { id: 'schedules', titleKey: 'schedules.title', component: lazy(() => import('../features/commands/LampSchedulesPanel.vue')) },
];

/** For areas that add a panel: `lazy(() => import('../features/flood/FloodPanel.vue'))`. */
export function lazy(loader: () => Promise<{ default: Component }>): Component {
  return defineAsyncComponent(loader);
}
