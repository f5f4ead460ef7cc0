/** UI strings of the simulated-staff badge; merged by app/i18n/areas.ts. */
const en = {
  staffSim: {
    badge: 'Simulated staff',
    title: 'Demo only: simulated operations staff work the cases through the API, on a clock {speedup}× faster than real time. Serve with --staff-sim off to stop them.',
    actors: 'Simulated users',
  },
};

const zhCN: typeof en = {
  staffSim: {
    badge: '模拟值守',
    title: '仅用于演示：模拟的值班人员通过接口办理案件，模拟时钟为真实时间的 {speedup} 倍。以 --staff-sim off 启动可关闭。',
    actors: '模拟用户',
  },
};

export default { en, 'zh-CN': zhCN };
