/** UI strings of the section tools; merged by app/i18n/areas.ts. */
const en = {
  section: {
    title: 'Section',
    off: 'Off',
    plane: 'Plane',
    box: 'Box',
    vertical: 'Vertical',
    horizontal: 'Horizontal',
    heading: 'Heading (°)',
    offset: 'Offset (m)',
    height: 'Height (m)',
    centre: 'Centre E / N / U (m)',
    size: 'Width / depth / height (m)',
    fitBuilding: 'Fit to selected building',
    fitDistrict: 'Whole district',
    anchoredAt: 'Anchored at building {id}',
    hint: 'Drag the yellow handles in the scene, or type the numbers.',
    clipped: '{count} tilesets cut',
  },
};

const zhCN: typeof en = {
  section: {
    title: '剖切',
    off: '关闭',
    plane: '剖切面',
    box: '剖切盒',
    vertical: '竖直',
    horizontal: '水平',
    heading: '朝向（°）',
    offset: '偏移（米）',
    height: '高度（米）',
    centre: '中心 东 / 北 / 上（米）',
    size: '宽 / 深 / 高（米）',
    fitBuilding: '适配所选建筑',
    fitDistrict: '整个片区',
    anchoredAt: '锚定在建筑 {id}',
    hint: '在场景中拖动黄色控制点，或输入数值。',
    clipped: '已剖切 {count} 个图层',
  },
};

export default { en, 'zh-CN': zhCN };
