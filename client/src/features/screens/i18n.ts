/** UI strings of the leader-screen wings; merged by app/i18n/areas.ts. */
const en = {
  arc: {
    liveDevices: 'Live devices',
    openAlarms: 'Open alarms',
    openCases: 'Open cases',
    onTime: 'On-time rate',
    devicesOnline: 'Devices online',
    health: 'Pole health',
    noData: '—',
    alarmsByKind: 'Alarms by kind',
  },
};

const zhCN: typeof en = {
  arc: {
    liveDevices: '在线设备',
    openAlarms: '未处理告警',
    openCases: '未结案件',
    onTime: '按期办结率',
    devicesOnline: '设备在线率',
    health: '灯杆健康',
    noData: '—',
    alarmsByKind: '告警分类',
  },
};

export default { en, 'zh-CN': zhCN };
