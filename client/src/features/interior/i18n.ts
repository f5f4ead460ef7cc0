/** UI strings of the interior controls; merged by app/i18n/areas.ts. */
const en = {
  interior: {
    title: 'Interior',
    explode: 'Explode floors',
    floor: 'Floor',
    allFloors: 'All floors',
    close: 'Close interior',
    schematic: 'schematic from floor count',
    package: 'from the twin package',
  },
};

const zhCN: typeof en = {
  interior: {
    title: '室内',
    explode: '楼层展开',
    floor: '楼层',
    allFloors: '全部楼层',
    close: '关闭室内',
    schematic: '按层数生成的示意',
    package: '来自孪生包',
  },
};

export default { en, 'zh-CN': zhCN };
