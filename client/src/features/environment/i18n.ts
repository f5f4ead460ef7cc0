/** UI strings of the environment controls (time of day, season, weather); merged by app/i18n/areas.ts. */
const en = {
  environment: {
    title: 'Environment',
    time: 'Time of day',
    season: 'Season',
    shadows: 'Shadows',
    rain: 'Rain',
    fog: 'Fog',
  },
  season: {
    spring: 'Spring',
    summer: 'Summer',
    autumn: 'Autumn',
    winter: 'Winter',
  },
};

const zhCN: typeof en = {
  environment: {
    title: '环境',
    time: '时间',
    season: '季节',
    shadows: '阴影',
    rain: '雨',
    fog: '雾',
  },
  season: {
    spring: '春',
    summer: '夏',
    autumn: '秋',
    winter: '冬',
  },
};

export default { en, 'zh-CN': zhCN };
