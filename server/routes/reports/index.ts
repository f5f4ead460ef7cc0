/**
 * The public citizen endpoint, no login: report a problem (rate-limited per address), follow it by
 * tracking code, rate the result once closed. Citizens see statuses and times, never names or
 * internal notes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IdempotencyHeaders, ProgressSchema, PublicReportBodySchema, TrackingCodeSchema, errors } from '../cases/schemas';
import { idempotencyOf } from '../cases/index';

export interface ReportRoutesOptions {
  /** Reports one address may send per minute; default 10. */
  perMinute?: number;
}

const CodeParams = Type.Object({ trackingCode: TrackingCodeSchema });

const routes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, opts) => {
  const perMinute = opts.perMinute ?? 10;

  app.post(
    '/',
    {
      config: { rateLimit: { max: perMinute, timeWindow: 60_000 } },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        summary: 'Report a problem as a citizen; answers the tracking code',
        headers: IdempotencyHeaders,
        body: PublicReportBodySchema,
        response: { 201: Type.Object({ trackingCode: Type.String(), progress: ProgressSchema }), ...errors(400, 413, 422, 429) },
      },
    },
    async (request, reply) => {
      const { contact, photo, ...rest } = request.body;
      const answer = await app.cases.intake({ ...rest, source: 'citizen', reporter: contact }, { kind: 'system', name: 'public-report' }, {
        idempotency: idempotencyOf('public:report', request),
        citizen: true,
        photo,
      });
      const code = answer.body.report.trackingCode!;
      return reply.code(201).send({ trackingCode: code, progress: await app.cases.progress(code) });
    },
  );

  app.get(
    '/:trackingCode',
    { schema: { summary: 'Progress of a citizen report', params: CodeParams, response: { 200: ProgressSchema, ...errors(400, 404) } } },
    async (request) => app.cases.progress(request.params.trackingCode),
  );

  app.post(
    '/:trackingCode/rating',
    {
      config: { rateLimit: { max: perMinute, timeWindow: 60_000 } },
      schema: {
        summary: 'Rate the result 1–5 once the case is closed',
        params: CodeParams,
        body: Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 200: ProgressSchema, ...errors(400, 404, 409, 429) },
      },
    },
    async (request) => app.cases.rate(request.params.trackingCode, request.body.rating, request.body.comment),
  );
};

export default routes;
