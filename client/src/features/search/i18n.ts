/** UI strings of the search box; merged by app/i18n/areas.ts. */
const en = {
  search: {
    placeholder: 'Search code, building, pole…',
    none: 'No match',
    kind: { component: 'Component', building: 'Building', pole: 'Pole' },
  },
};

const zhCN: typeof en = {
  search: {
    placeholder: '搜索部件编码、建筑、灯杆…',
    none: '无匹配结果',
    kind: { component: '部件', building: '建筑', pole: '灯杆' },
  },
};

export default { en, 'zh-CN': zhCN };
