/**
 * The side panels a user switches between (alarms, cases, flood, traffic, …). Each area of the
 * client adds one entry here; App.vue renders the tabs. Components load lazily so the twin shows
 * before panels nobody opened are parsed.
 */
import { defineAsyncComponent, type Component } from 'vue';
import AlarmPanel from './components/AlarmPanel.vue';

export interface PanelDef {
  /** Stable id, also used in `?panel=` and by tests (`data-testid="panel-tab-<id>"`). */
  id: string;
  /** vue-i18n key of the tab's title. */
  titleKey: string;
  component: Component;
}

export const PANELS: PanelDef[] = [
  { id: 'alarms', titleKey: 'panels.alarms', component: AlarmPanel },
];

/** For areas that add a panel: `lazy(() => import('./flood/FloodPanel.vue'))`. */
export function lazy(loader: () => Promise<{ default: Component }>): Component {
  return defineAsyncComponent(loader);
}
