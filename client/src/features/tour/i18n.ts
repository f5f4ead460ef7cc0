/** UI strings of the guided tour; merged by app/i18n/areas.ts. */
const en = {
  tour: {
    overview: 'District overview',
    devices: 'Smart poles and terminals',
    incident: 'Live incident',
    interior: 'Building interior',
    simulation: 'Simulation results',
    paused: 'Tour paused — resumes when idle',
  },
};

const zhCN: typeof en = {
  tour: {
    overview: '城区总览',
    devices: '智慧灯杆与终端',
    incident: '实时事件',
    interior: '建筑室内',
    simulation: '仿真成果',
    paused: '巡游已暂停，空闲后继续',
  },
};

export default { en, 'zh-CN': zhCN };
