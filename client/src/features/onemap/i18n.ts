/** UI strings of the 2D analysis map; merged by app/i18n/areas.ts. */
const en = {
  map2d: {
    density: 'Density source',
    cases: 'Cases',
    alarms: 'Alarms',
    coverage: 'Device coverage',
    traffic: 'Traffic flows',
    casesUnavailable: 'cases API not available, showing alarms',
  },
};

const zhCN: typeof en = {
  map2d: {
    density: '密度来源',
    cases: '案件',
    alarms: '告警',
    coverage: '设备覆盖',
    traffic: '交通流',
    casesUnavailable: '案件接口不可用，改用告警',
  },
};

export default { en, 'zh-CN': zhCN };
