/**
 * Turns a raised alarm (IoT rules, three lamps out along a road, or a video-AI sighting) into a
 * case report. Pure: the twin's look-ups are passed in.
 *
 * One case per raise: an alarm id is stable while its condition lasts, so the report's alarm key
 * is `<alarm id>@<raisedAt>`; a repeat delivery of the same raise is ignored, a new raise after
 * the condition cleared reports again (and merges into the open case by the duplicate rule).
 */
import type { Alarm } from '../../domain/live';
import { CATEGORY_BY_ID, type Urgency } from '../../domain/cases/categories';
import type { ComponentRecord, PoleRecord } from '../../domain/twinPackage';
import type { IntakeInput } from './intake';

/** Case category per IoT alarm kind; video-AI alarms name theirs. */
const CATEGORY_OF_KIND: Record<Exclude<Alarm['kind'], 'video-ai'>, string> = {
  'cover-open': 'cover-missing',
  'cover-tilt': 'cover-damaged',
  'lamp-fault': 'lamp-out',
  'lamps-out': 'lamps-out-consecutive',
  'water-level': 'road-flooding',
  'air-quality': 'environment-exceedance',
  noise: 'environment-exceedance',
  'device-fault': 'terminal-fault',
  'device-offline': 'terminal-fault',
};

export interface AlarmPlace {
  pole(id: string): PoleRecord | undefined;
  component(code: string): ComponentRecord | undefined;
}

export function alarmKey(alarm: Pick<Alarm, 'id' | 'raisedAt'>): string {
  return `${alarm.id}@${alarm.raisedAt}`;
}

/** The alarm id and raise time of an alarm key (`<alarm id>@<raisedAt>`), undefined when it is not one. */
export function parseAlarmKey(key: string): { alarmId: string; raisedAt: number } | undefined {
  const at = key.lastIndexOf('@');
  const raisedAt = Number(key.slice(at + 1));
  if (at <= 0 || !Number.isFinite(raisedAt)) return undefined;
  return { alarmId: key.slice(0, at), raisedAt };
}

/** The intake for an alarm, or the reason it opens no case. */
export function alarmToIntake(alarm: Alarm, place: AlarmPlace): IntakeInput | { skip: string } {
  const categoryId = alarm.kind === 'video-ai' ? alarm.category : CATEGORY_OF_KIND[alarm.kind];
  const category = categoryId === undefined ? undefined : CATEGORY_BY_ID.get(categoryId);
  if (!category) return { skip: `no case category for alarm kind ${alarm.kind}${alarm.category ? ` / ${alarm.category}` : ''}` };
  if (alarm.kind === 'video-ai' && !category.videoAi) return { skip: `${category.id} is not a video-AI category` };
  const pole = place.pole(alarm.poleId);
  const lon = alarm.lon ?? pole?.lon;
  const lat = alarm.lat ?? pole?.lat;
  if (lon === undefined || lat === undefined) return { skip: `alarm ${alarm.id} has no position and names unknown pole ${alarm.poleId}` };

  // Component cases link the alarm's component (a cover sensor's cover), else the pole itself (a lamp).
  let componentCode: string | undefined;
  if (category.kind === 'component') {
    for (const code of [alarm.componentCode, pole?.code]) {
      const component = code === undefined ? undefined : place.component(code);
      if (component && category.codes.includes(component.classCode)) {
        componentCode = component.code;
        break;
      }
    }
  }
  const reading = alarm.field !== undefined ? ` ${alarm.field}=${String(alarm.value)} (limit ${String(alarm.limit)})` : '';
  const code = alarm.code !== undefined ? ` code ${alarm.code}` : '';
  const poles = alarm.poleIds !== undefined ? ` poles ${alarm.poleIds.join(', ')}` : '';
  const confidence = alarm.confidence !== undefined ? ` confidence ${alarm.confidence.toFixed(2)}` : '';
  const urgency: Urgency = alarm.severity === 'critical' ? 'urgent' : category.defaultUrgency;
  const input: IntakeInput = {
    categoryId: category.id,
    description: `${alarm.kind} alarm on ${alarm.terminalId}${reading}${code}${poles}${confidence}`,
    source: alarm.kind === 'video-ai' ? 'video-ai' : 'iot',
    lon,
    lat,
    urgency,
    alarmId: alarmKey(alarm),
    poleId: alarm.poleId,
    terminalId: alarm.terminalId,
    terminalType: alarm.terminalType,
  };
  if (componentCode !== undefined) input.componentCode = componentCode;
  return input;
}
