/** UI strings of street-lamp energy (merged by app/i18n/areas.ts). */
import type { AreaMessages } from '../../app/i18n/areaMessages';

export const energyMessages: AreaMessages = {
  en: {
    energy: {
      lampTitle: 'Energy',
      tonight: 'This night so far: {kwh} kWh',
      saving: 'saving {pct} % against full power',
      rated: 'rated {w} W',
      lastDays: 'Last {days} nights (kWh)',
      coverage: 'readings cover {pct} %',
      none: 'No power readings yet',
      cityTitle: 'Street lamps tonight',
      cityTotal: '{kwh} kWh from {lamps} lamps',
      citySaving: 'Saving {pct} % against every lamp at full power all night ({baseline} kWh)',
      topRoads: 'Roads drawing most',
      noSaving: 'no saving known yet',
    },
  },
  'zh-CN': {
    energy: {
      lampTitle: '用电',
      tonight: '本夜至今：{kwh} kWh',
      saving: '较全功率节电 {pct} %',
      rated: '额定 {w} W',
      lastDays: '近 {days} 夜用电（kWh）',
      coverage: '数据覆盖 {pct} %',
      none: '暂无功率数据',
      cityTitle: '今夜路灯用电',
      cityTotal: '{lamps} 盏路灯共 {kwh} kWh',
      citySaving: '较全部路灯整夜全功率（{baseline} kWh）节电 {pct} %',
      topRoads: '用电最多的道路',
      noSaving: '暂无节电数据',
    },
  },
};
