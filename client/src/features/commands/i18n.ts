/** UI strings of device commands (merged by app/i18n/areas.ts). */
import type { AreaMessages } from '../../app/i18n/areaMessages';

export const commandsMessages: AreaMessages = {
  en: {
    commands: {
      on: 'On',
      off: 'Off',
      dim: 'Dim',
      apply: 'Send',
      pan: 'Pan',
      tilt: 'Tilt',
      zoom: 'Zoom',
      kind: { switch: 'Switch', dim: 'Dim', preset: 'Preset' },
      status: { sent: 'sent', acked: 'acknowledged', succeeded: 'done', failed: 'failed', 'timed-out': 'no answer' },
      roadLamps: 'Lamps along {road}',
      dimRoad: 'Dim the road',
      confirmGroup: 'This command goes to {count} lamps. Send it to all of them?',
      confirm: 'Send to all',
      cancel: 'Cancel',
      progress: '{count} lamps: {succeeded} done, {failed} failed, {timedOut} no answer',
    },
  },
  'zh-CN': {
    commands: {
      on: '开灯',
      off: '关灯',
      dim: '调光',
      apply: '下发',
      pan: '水平',
      tilt: '俯仰',
      zoom: '变倍',
      kind: { switch: '开关', dim: '调光', preset: '预置位' },
      status: { sent: '已下发', acked: '已应答', succeeded: '已生效', failed: '失败', 'timed-out': '无应答' },
      roadLamps: '{road} 沿线路灯',
      dimRoad: '整路调光',
      confirmGroup: '此指令将下发到 {count} 盏路灯，确认全部下发？',
      confirm: '全部下发',
      cancel: '取消',
      progress: '{count} 盏：{succeeded} 已生效，{failed} 失败，{timedOut} 无应答',
    },
  },
};
