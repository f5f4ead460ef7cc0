/** UI strings of the level bar (L1–L5, 3D/2D); merged by app/i18n/areas.ts. */
const en = {
  levels: {
    title: 'Level',
    L1: 'L1 Terrain',
    L2: 'L2 White models',
    L3: 'L3 Architecture',
    L4: 'L4 Components',
    L5: 'L5 Interiors',
    fallback: 'derived (package has no file)',
    package: 'from the twin package',
    pickBuilding: 'Click a building to open its interior',
  },
  view: {
    mode3d: '3D twin',
    mode2d: '2D map',
  },
};

const zhCN: typeof en = {
  levels: {
    title: '层级',
    L1: 'L1 地形',
    L2: 'L2 白模',
    L3: 'L3 精细建筑',
    L4: 'L4 城市部件',
    L5: 'L5 室内',
    fallback: '推算（孪生包无此文件）',
    package: '来自孪生包',
    pickBuilding: '点击建筑查看室内',
  },
  view: {
    mode3d: '三维孪生',
    mode2d: '二维一张图',
  },
};

export default { en, 'zh-CN': zhCN };
