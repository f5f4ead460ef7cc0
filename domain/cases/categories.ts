/**
 * Case categories with their national codes, urgency defaults and time limits.
 *
 * Component cases (部件) are problems with a catalogued component; their `codes` are the 4-digit
 * component classes (major + minor, domain/components.ts) they apply to, and a component case links
 * the 16-digit component code. Event cases (事件) are problems without a component; their `codes`
 * hold the one 4-digit event class (major + minor). Event major classes: 01 city appearance,
 * 02 advertising, 03 construction management, 04 emergencies, 05 street order, 06 extensions.
 * Minor numbers follow the CJ/T 214 pattern; local editions of the standard renumber some.
 *
 * Time limits follow published local rules: dispatch within 10 min (urgent) or 30 min; a missing
 * manhole cover fixed within 2 h; three consecutive street lamps out fixed within 1 working day.
 */

export const CASE_KINDS = ['component', 'event'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** A time limit: plain minutes, or working days (Monday–Friday in the city's time zone). */
export type TimeLimit = { minutes: number } | { workingDays: number };

export interface CaseCategory {
  /** Stable slug used by the API, e.g. `cover-missing`. */
  id: string;
  kind: CaseKind;
  /** Component cases: the component classes it applies to. Event cases: the one event class. */
  codes: string[];
  zh: string;
  en: string;
  /** Urgency when the reporter does not say. */
  defaultUrgency: Urgency;
  /** Handling limit from dispatch to feedback, per urgency. */
  handleLimit: Record<Urgency, TimeLimit>;
  /**
   * Department ids of the twin tried in order when no department is responsible for the
   * component class (component cases) — the usual owner of this kind of problem.
   */
  departmentHints: string[];
  /** One of the eight categories the video-AI system detects (domain/videoEvents.ts, same id and code). */
  videoAi?: true;
}

/** Dispatch limit from creation (registration) to dispatch, per urgency. */
export const DISPATCH_LIMIT: Record<Urgency, TimeLimit> = { urgent: { minutes: 10 }, normal: { minutes: 30 } };

/** On-site verification limit from feedback: 1 h in the city, 2 h in fringe grid cells. */
export const VERIFY_LIMIT = { city: { minutes: 60 }, fringe: { minutes: 120 } } as const satisfies Record<string, TimeLimit>;

const COVERS = ['0101', '0102', '0103', '0105', '0106', '0107', '0111'];
const h = (hours: number): TimeLimit => ({ minutes: hours * 60 });
const wd = (days: number): TimeLimit => ({ workingDays: days });

export const CASE_CATEGORIES: readonly CaseCategory[] = [
  // Component cases.
  { id: 'cover-missing', kind: 'component', codes: COVERS, zh: '井盖缺失', en: 'Manhole cover missing', defaultUrgency: 'urgent', handleLimit: { urgent: h(2), normal: h(2) }, departmentHints: ['municipal-roads'] },
  { id: 'cover-damaged', kind: 'component', codes: COVERS, zh: '井盖破损或移位', en: 'Manhole cover damaged or displaced', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['municipal-roads'] },
  { id: 'hydrant-damaged', kind: 'component', codes: ['0114'], zh: '消防栓损坏', en: 'Fire hydrant damaged', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['water-affairs'] },
  { id: 'lamp-out', kind: 'component', codes: ['0118'], zh: '路灯不亮', en: 'Street lamp out', defaultUrgency: 'normal', handleLimit: { urgent: wd(1), normal: wd(3) }, departmentHints: ['street-lighting'] },
  { id: 'lamps-out-consecutive', kind: 'component', codes: ['0118'], zh: '连续三盏以上路灯不亮', en: 'Three or more consecutive street lamps out', defaultUrgency: 'urgent', handleLimit: { urgent: wd(1), normal: wd(1) }, departmentHints: ['street-lighting'] },
  { id: 'lamp-pole-damaged', kind: 'component', codes: ['0118'], zh: '灯杆损坏或倾斜', en: 'Lamp pole damaged or leaning', defaultUrgency: 'normal', handleLimit: { urgent: h(2), normal: wd(1) }, departmentHints: ['street-lighting'] },
  { id: 'signal-fault', kind: 'component', codes: ['0208'], zh: '交通信号灯故障', en: 'Traffic signal fault', defaultUrgency: 'urgent', handleLimit: { urgent: h(1), normal: h(4) }, departmentHints: ['traffic-police'] },
  // Event cases: 01 city appearance.
  { id: 'exposed-garbage', kind: 'event', codes: ['0102'], zh: '暴露垃圾', en: 'Exposed garbage', defaultUrgency: 'normal', handleLimit: { urgent: h(1), normal: h(4) }, departmentHints: ['sanitation'], videoAi: true },
  { id: 'garbage-pile', kind: 'event', codes: ['0103'], zh: '积存垃圾渣土', en: 'Garbage or debris pile', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['sanitation'], videoAi: true },
  { id: 'dirty-road', kind: 'event', codes: ['0104'], zh: '道路不洁', en: 'Dirty road', defaultUrgency: 'normal', handleLimit: { urgent: h(1), normal: h(4) }, departmentHints: ['sanitation'] },
  // 02 advertising.
  { id: 'illegal-advertising', kind: 'event', codes: ['0201'], zh: '违规广告（非法小广告）', en: 'Illegal advertising', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['urban-management'], videoAi: true },
  { id: 'unauthorized-banner', kind: 'event', codes: ['0202'], zh: '违规张贴悬挂', en: 'Unauthorized posters or banners', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['urban-management'] },
  // 03 construction management.
  { id: 'construction-nuisance', kind: 'event', codes: ['0301'], zh: '施工扰民', en: 'Construction nuisance', defaultUrgency: 'normal', handleLimit: { urgent: h(2), normal: wd(1) }, departmentHints: ['urban-management'] },
  { id: 'construction-road-occupation', kind: 'event', codes: ['0302'], zh: '施工占道', en: 'Construction occupying the road', defaultUrgency: 'normal', handleLimit: { urgent: h(2), normal: h(4) }, departmentHints: ['municipal-roads'] },
  { id: 'construction-without-enclosure', kind: 'event', codes: ['0304'], zh: '施工未围挡', en: 'Construction without enclosure', defaultUrgency: 'normal', handleLimit: { urgent: h(2), normal: wd(1) }, departmentHints: ['urban-management'], videoAi: true },
  // 04 emergencies.
  { id: 'road-collapse', kind: 'event', codes: ['0401'], zh: '路面塌陷', en: 'Road surface collapse', defaultUrgency: 'urgent', handleLimit: { urgent: h(1), normal: h(2) }, departmentHints: ['municipal-roads', 'emergency'] },
  { id: 'water-pipe-burst', kind: 'event', codes: ['0402'], zh: '供水管道破裂', en: 'Water main burst', defaultUrgency: 'urgent', handleLimit: { urgent: h(2), normal: h(4) }, departmentHints: ['water-affairs'] },
  { id: 'fire', kind: 'event', codes: ['0403'], zh: '火灾', en: 'Fire', defaultUrgency: 'urgent', handleLimit: { urgent: h(1), normal: h(2) }, departmentHints: ['emergency'] },
  { id: 'typhoon-damage', kind: 'event', codes: ['0405'], zh: '台风灾害', en: 'Typhoon damage', defaultUrgency: 'urgent', handleLimit: { urgent: h(2), normal: h(4) }, departmentHints: ['emergency', 'landscaping'] },
  { id: 'road-flooding', kind: 'event', codes: ['0404'], zh: '道路积水', en: 'Road flooding', defaultUrgency: 'urgent', handleLimit: { urgent: h(2), normal: h(4) }, departmentHints: ['drainage', 'emergency'] },
  // 05 street order.
  { id: 'street-vending', kind: 'event', codes: ['0501'], zh: '无照经营游商', en: 'Unlicensed street vending', defaultUrgency: 'normal', handleLimit: { urgent: h(1), normal: h(2) }, departmentHints: ['urban-management'], videoAi: true },
  { id: 'business-outside-shop', kind: 'event', codes: ['0504'], zh: '店外经营（占道经营）', en: 'Business spilling onto the road', defaultUrgency: 'normal', handleLimit: { urgent: h(1), normal: h(4) }, departmentHints: ['urban-management'], videoAi: true },
  { id: 'illegal-parking', kind: 'event', codes: ['0505'], zh: '机动车乱停放', en: 'Illegal car parking', defaultUrgency: 'normal', handleLimit: { urgent: h(1), normal: h(2) }, departmentHints: ['traffic-police'], videoAi: true },
  { id: 'road-occupation-stacking', kind: 'event', codes: ['0508'], zh: '占道堆物', en: 'Goods stacked on the road', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['urban-management'], videoAi: true },
  { id: 'bike-parking', kind: 'event', codes: ['0506'], zh: '非机动车乱停放', en: 'Disorderly bicycle parking', defaultUrgency: 'normal', handleLimit: { urgent: h(2), normal: h(4) }, departmentHints: ['urban-management'] },
  // 06 extensions: what the smart poles detect.
  { id: 'environment-exceedance', kind: 'event', codes: ['0601'], zh: '环境监测超标', en: 'Environmental limit exceeded', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['emergency', 'sanitation'] },
  { id: 'terminal-fault', kind: 'event', codes: ['0602'], zh: '智慧杆终端故障', en: 'Smart-pole terminal fault', defaultUrgency: 'normal', handleLimit: { urgent: h(4), normal: wd(1) }, departmentHints: ['street-lighting'] },
];

export const CATEGORY_BY_ID: ReadonlyMap<string, CaseCategory> = new Map(CASE_CATEGORIES.map((c) => [c.id, c]));

/** The eight categories the video-AI system reports (its events carry one of these ids). */
export const VIDEO_AI_CATEGORY_IDS = CASE_CATEGORIES.filter((c) => c.videoAi).map((c) => c.id);
