/** The planning panel's title; its sections bring their own strings (section, compare, sight). */
const en = { planning: { title: 'Planning' } };
const zhCN: typeof en = { planning: { title: '规划分析' } };

export default { en, 'zh-CN': zhCN };
