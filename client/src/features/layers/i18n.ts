/** UI strings of the layer panel; merged by app/i18n/areas.ts. */
const en = {
  layers: {
    title: 'Layers',
    terrain: 'Terrain and water',
    whiteModels: 'White models',
    architecture: 'Textured architecture',
    components: 'Urban components',
    interiors: 'Interiors',
    poles: 'Live poles and terminals',
    alarms: 'Alarms',
    gridCells: 'Grid cells',
    roads: 'Roads',
    pipes: 'Underground pipes',
    notInPackage: 'not in this twin',
    count: '{count} shown',
  },
};

const zhCN: typeof en = {
  layers: {
    title: '图层',
    terrain: '地形与水系',
    whiteModels: '白模',
    architecture: '精细建筑',
    components: '城市部件',
    interiors: '室内',
    poles: '实时灯杆与终端',
    alarms: '告警',
    gridCells: '单元网格',
    roads: '道路',
    pipes: '地下管线',
    notInPackage: '本孪生包无此图层',
    count: '显示 {count} 个',
  },
};

export default { en, 'zh-CN': zhCN };
