/**
 * Name material for the demo district: road-name stems, communities, surnames and tower names,
 * each with Chinese characters and Hanyu Pinyin, in the style of Pearl River Delta new towns.
 */

export interface NameStem {
  zh: string;
  en: string;
}

const stems = (pairs: string): NameStem[] =>
  pairs
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [zh, en] = pair.split(':');
      return { zh: zh!, en: en! };
    });

/** Two-character stems for road names (路 Road, 街 Street). */
export const ROAD_STEMS: NameStem[] = stems(`
  兴华:Xinghua 振兴:Zhenxing 望海:Wanghai 新湾:Xinwan 交椅:Jiaoyi 沙角:Shajiao 威远:Weiyuan
  创新:Chuangxin 科技:Keji 智慧:Zhihui 海月:Haiyue 金沙:Jinsha 银滩:Yintan 凤凰:Fenghuang
  龙湾:Longwan 鹏程:Pengcheng 临海:Linhai 观澜:Guanlan 锦绣:Jinxiu 明珠:Mingzhu 安澜:Anlan
  太平:Taiping 荔湾:Liwan 南岸:Nan'an 启航:Qihang 泰安:Tai'an 嘉和:Jiahe 瑞祥:Ruixiang
  永盛:Yongsheng 宏图:Hongtu 景湖:Jinghu 翠园:Cuiyuan 湾区:Wanqu 海韵:Haiyun 蓝天:Lantian
  青云:Qingyun 民生:Minsheng 文华:Wenhua 育才:Yucai 康乐:Kangle 桂花:Guihua 榕树:Rongshu
  木棉:Mumian 紫荆:Zijing 芙蓉:Furong 碧海:Bihai 金湾:Jinwan 石鼓:Shigu 东方:Dongfang
  兴业:Xingye 富民:Fumin 丰泰:Fengtai 港湾:Gangwan 远航:Yuanhang 云帆:Yunfan 星海:Xinghai
`);

/** Community (社区) names for the grid; each gets 社区 / Community. */
export const COMMUNITY_STEMS: NameStem[] = stems(`
  交椅湾:Jiaoyiwan 沙角:Shajiao 威远:Weiyuan 新湾:Xinwan 海月:Haiyue 金沙:Jinsha 银滩:Yintan
  凤凰:Fenghuang 龙湾:Longwan 东岸:Dong'an 西岸:Xi'an 南岸:Nan'an 观海:Guanhai 望海:Wanghai
  长沙:Changsha 白沙:Baisha 蓝湾:Lanwan 海景:Haijing 湾畔:Wanpan 榕树:Rongshu 木棉:Mumian
  荔枝林:Lizhilin 山前:Shanqian 山后:Shanhou 大坑:Dakeng 小坑:Xiaokeng 上围:Shangwei
  下围:Xiawei 新围:Xinwei 旧围:Jiuwei 河东:Hedong 河西:Hexi 海心:Haixin 渔港:Yugang
  盐田:Yantian 石排:Shipai 涌口:Chongkou 涌头:Chongtou 沙尾:Shawei 鹤洲:Hezhou
`);

/** Lineage surnames for village ancestral halls (宗祠). */
export const SURNAMES: string[] = ['陈', '李', '黄', '张', '梁', '何', '林', '罗', '叶', '钟', '袁', '蔡'];

/** Stems for named office towers and hotels. */
export const TOWER_STEMS: string[] = [
  '海湾', '鹏程', '环球', '汇金', '置地', '星河', '卓越', '嘉里', '环湾', '海悦', '盛世', '君悦', '明珠', '金湾', '湾区', '启航',
];

const CN_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const EN_ORDINALS = ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th', '10th'];

export function cnOrdinal(n: number): string {
  return CN_ORDINALS[n - 1] ?? String(n);
}

export function enOrdinal(n: number): string {
  return EN_ORDINALS[n - 1] ?? `${n}th`;
}
