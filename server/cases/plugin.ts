/**
 * The case workflow as `app.cases` (CaseService): photos in the case database, the supervision
 * timer, cases opened from raised alarms (`app.live.subscribeAlarms`: IoT rules and video-AI
 * sightings), and every change streamed to browsers — topic `case` at once, topic `kpi` (KPIs by
 * department, last 30 days) at most every `kpiIntervalMs` while cases change.
 */
import fp from 'fastify-plugin';
import type { Alarm } from '../../domain/live';
import { KPI_ROLES } from '../../domain/users';
import { alarmKey, alarmToIntake } from './alarmIntake';
import { CaseService } from './CaseService';
import { CaseRuleError } from './CaseRuleError';
import { loadCityPlace, type CityPlace } from './cityPlace';
import type { DuplicateRule } from './duplicates';
import { PhotoStore } from './photos';
import { Errors } from '../errors';

export interface CasesPluginOptions {
  /** How often the supervisor looks for overdue cases; default 30 s. */
  supervisionIntervalMs?: number;
  /** Throttle for KPI updates on the stream; default 5 s. */
  kpiIntervalMs?: number;
  duplicateRule?: DuplicateRule;
  /** The clock; tests move it. */
  now?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    cases: CaseService;
  }
}

const ALARM_INTAKE = { kind: 'system', name: 'alarm-intake' } as const;

export default fp<CasesPluginOptions>(
  async (app, opts) => {
    const supervisionIntervalMs = opts.supervisionIntervalMs ?? 30_000;
    const kpiIntervalMs = opts.kpiIntervalMs ?? 5_000;
    for (const [name, value] of Object.entries({ supervisionIntervalMs, kpiIntervalMs })) {
      if (!(Number.isFinite(value) && value >= 10)) throw new Errors.BadOption(`cases: ${name} must be at least 10 ms`);
    }
    let place: CityPlace;
    try {
      place = await loadCityPlace(app.twin, app.dataDir);
    } catch (err) {
      throw new Errors.BadOption(`cases: ${(err as Error).message}`);
    }
    const now = opts.now ?? Date.now;

    let kpiTimer: NodeJS.Timeout | undefined;
    const publishKpis = (): void => {
      kpiTimer = undefined;
      service.kpis('department').then(
        (kpis) => app.stream.publish('kpi', kpis, { roles: KPI_ROLES }),
        (err: unknown) => app.log.error({ err }, 'KPI update failed'),
      );
    };
    const service = new CaseService({
      storage: app.storage,
      place,
      photos: new PhotoStore(app.storage),
      duplicateRule: opts.duplicateRule,
      now,
      onChange: (c, event) => {
        // Like the API: logged-in users only, and a handler only its own department's cases.
        app.stream.publish('case', { case: c, event }, { loggedIn: true, handlerDepartment: c.departmentId ?? null });
        kpiTimer ??= setTimeout(publishKpis, kpiIntervalMs).unref();
      },
    });
    app.decorate('cases', service);

    let supervising = false;
    const supervisionTimer = setInterval(() => {
      if (supervising) return;
      supervising = true;
      service
        .supervise()
        .catch((err: unknown) => app.log.error({ err }, 'case supervision failed'))
        .finally(() => (supervising = false));
    }, supervisionIntervalMs).unref();

    const onAlarm = (alarm: Alarm): void => {
      const input = alarmToIntake(alarm, place);
      if ('skip' in input) {
        app.log.debug({ alarm: alarm.id, reason: input.skip }, 'alarm opens no case');
        return;
      }
      app.storage
        .getReportByAlarmId(alarmKey(alarm))
        // A video-AI alarm's case keeps the frame it fired on (server/video), as a photo.
        .then(async (seen) => {
          if (seen) return undefined;
          const photo = app.hasDecorator('video') ? await app.video.alarmSnapshot(alarm) : undefined;
          return service.intake(input, ALARM_INTAKE, photo === undefined ? {} : { photo });
        })
        .catch((err: unknown) => {
          // A repeat delivery racing the first one loses on the unique alarm key: nothing to do.
          if (err instanceof CaseRuleError && err.reason === 'conflict') return;
          app.log.error({ err, alarm: alarm.id }, 'could not open a case for an alarm');
        });
    };
    const unsubscribe = app.live.subscribeAlarms(onAlarm);

    app.addHook('onClose', async () => {
      clearInterval(supervisionTimer);
      if (kpiTimer) clearTimeout(kpiTimer);
      unsubscribe();
    });
  },
  { name: 'citytwin-cases', fastify: '5.x', dependencies: ['citytwin-storage', 'citytwin-twin', 'citytwin-live', 'citytwin-stream'] },
);
