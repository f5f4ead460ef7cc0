/** UI strings of the measure tool; merged by app/i18n/areas.ts. */
const en = {
  measure: {
    title: 'Measure',
    distance: 'Distance',
    area: 'Area',
    height: 'Height',
    hint: 'Click points on the twin',
    result: 'Result',
  },
};

const zhCN: typeof en = {
  measure: {
    title: '量测',
    distance: '距离',
    area: '面积',
    height: '高度',
    hint: '在孪生场景中点击取点',
    result: '结果',
  },
};

export default { en, 'zh-CN': zhCN };
