import type en from './en';

/** 简体中文界面文字。 */
const zhCN: typeof en = {
  app: {
    title: '城市运行数字孪生',
    loading: '正在加载孪生城市…',
    loadFailed: '孪生城市加载失败：{message}',
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
  status: {
    unknown: '未知',
    normal: '正常',
    warning: '预警',
    fault: '故障',
    offline: '离线',
  },
  terminalType: {
    lamp: '单灯控制器',
    camera: '治安摄像头',
    'cover-sensor': '井盖传感器',
    'water-level': '水位传感器',
    environment: '气象环境监测仪',
    'traffic-camera': '交通违法抓拍',
  },
  alarmKind: {
    'device-fault': '设备故障',
    'device-offline': '设备离线',
    'lamp-fault': '路灯故障',
    'water-level': '路面积水',
    'cover-open': '井盖开启',
    'cover-tilt': '井盖倾斜',
    'air-quality': '空气质量超标',
    noise: '噪声超标',
  },
  severity: {
    warning: '一般',
    critical: '紧急',
  },
  alarms: {
    title: '当前告警',
    none: '暂无告警',
    more: '另有 {count} 条',
    pole: '灯杆 {id}',
  },
  attributes: {
    title: '属性',
    hint: '点击建筑或灯杆查看属性',
    close: '关闭',
    building: '建筑',
    pole: '智慧灯杆',
    id: '编号',
    name: '名称',
    use: '用途',
    height: '高度',
    floors: '层数',
    groundHeight: '地面高程',
    gridCode: '单元网格',
    code: '部件编码',
    road: '道路',
    status: '状态',
    terminals: '挂载终端',
    lastReport: '最近上报',
    never: '无',
  },
  use: {
    residential: '住宅',
    commercial: '商业',
    office: '办公',
    industrial: '工业',
    public: '公共建筑',
    education: '教育',
    healthcare: '医疗',
    mixed: '综合',
  },
  legend: {
    title: '灯杆状态',
  },
  units: {
    m: '{value} 米',
  },
  language: '语言',
};

export default zhCN;
