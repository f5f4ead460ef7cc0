/**
 * The departments that own components and answer for terminals, as a street-level city
 * management centre dispatches to them. Component classes follow the owners of manhole covers
 * in the GB/T 30428 catalogue; terminal types follow who acts on each kind of alarm.
 */
import type { Department } from '../domain/citySource';

export const DEPARTMENTS: Department[] = [
  { id: 'sanitation', name: { 'zh-CN': '环境卫生管理所', en: 'Sanitation' }, componentClasses: [], terminalTypes: ['environment'] },
  { id: 'municipal-roads', name: { 'zh-CN': '市政道路管理所', en: 'Municipal roads' }, componentClasses: [], terminalTypes: ['cover-sensor'] },
  { id: 'street-lighting', name: { 'zh-CN': '路灯管理所', en: 'Street lighting' }, componentClasses: ['0106', '0118'], terminalTypes: ['lamp'] },
  { id: 'water-affairs', name: { 'zh-CN': '水务局', en: 'Water affairs' }, componentClasses: ['0101', '0114'], terminalTypes: [] },
  { id: 'drainage', name: { 'zh-CN': '排水管理所', en: 'Drainage' }, componentClasses: ['0102', '0103'], terminalTypes: ['water-level'] },
  { id: 'landscaping', name: { 'zh-CN': '园林绿化管理所', en: 'Gardens and landscaping' }, componentClasses: [], terminalTypes: [] },
  { id: 'traffic-police', name: { 'zh-CN': '交警大队', en: 'Traffic police' }, componentClasses: ['0208'], terminalTypes: ['traffic-camera', 'signal-controller'] },
  { id: 'urban-management', name: { 'zh-CN': '城市管理综合执法局', en: 'Urban management law enforcement' }, componentClasses: [], terminalTypes: ['camera'] },
  { id: 'power-supply', name: { 'zh-CN': '供电局', en: 'Power supply' }, componentClasses: ['0105'], terminalTypes: [] },
  { id: 'gas', name: { 'zh-CN': '燃气公司', en: 'Gas utility' }, componentClasses: ['0111'], terminalTypes: [] },
  { id: 'telecom', name: { 'zh-CN': '通信管线办', en: 'Telecom' }, componentClasses: ['0107'], terminalTypes: [] },
  { id: 'emergency', name: { 'zh-CN': '应急管理局', en: 'Emergency management' }, componentClasses: [], terminalTypes: ['water-level', 'environment'] },
];

/** The department that owns components of a class; throws for a class nobody owns. */
export function ownerOf(classCode: string): string {
  const dept = DEPARTMENTS.find((d) => d.componentClasses.includes(classCode));
  if (!dept) throw new Error(`no department owns component class ${classCode}`);
  return dept.id;
}
