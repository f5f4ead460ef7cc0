import type en from './en';

/** 简体中文界面文字。 */
const zhCN: typeof en = {
  app: {
    title: '城市运行数字孪生',
    loading: '正在加载孪生城市…',
    loadFailed: '孪生城市加载失败：{message}',
  },
  panels: {
    layers: '图层',
    tools: '工具',
    alarms: '告警',
  },
  connection: {
    connecting: '连接中',
    live: '实时',
    reconnecting: '重新连接中',
  },
  stats: {
    buildings: '建筑',
    poles: '智慧灯杆',
    terminals: '物联终端',
    reporting: '在线',
    offline: '离线',
    fault: '故障',
    alarms: '当前告警',
  },
  yes: '是',
  no: '否',
  units: {
    m2: '{value} 平方米',
    m: '{value} 米',
  },
  language: '语言',
  urlErrors: '已忽略的网址参数',
};

export default zhCN;
