/** Names for the dashboard's groups and days in the page's language (alarm kinds, departments). */
import { computed, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { CaseMeta } from '../../../../domain/cases/api';
import type { VitalsLabels } from './vitalsCharts';

export function useVitalsLabels(departments: () => CaseMeta['departments']): ComputedRef<VitalsLabels> {
  const { t, te, locale } = useI18n();
  return computed(() => {
    const names = new Map(departments().map((d) => [d.id, locale.value === 'zh-CN' ? d.zh : d.en]));
    const lang = locale.value;
    return {
      t: (key: string) => t(key),
      name: (key: string) => names.get(key) ?? (te(`alarmKind.${key}`) ? t(`alarmKind.${key}`) : key),
      // Buckets are UTC days: label them in UTC too, or a day would show under its neighbour's date.
      day: (ms: number) => new Date(ms).toLocaleDateString(lang, { month: '2-digit', day: '2-digit', timeZone: 'UTC' }),
    };
  });
}
