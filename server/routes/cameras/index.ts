/**
 * Camera video (docs/video.md):
 *
 * - `GET /api/cameras` — every camera terminal with its pose and streams (filter by road, grid
 *   cell or ids), for the live view, video patrol and the frustum layer.
 * - `POST /api/cameras/:id/stream` — signed-in users only: where to play the camera. An embedded
 *   (demo) camera gets a short-lived tokenised HLS URL and its encoder starts now; a camera with
 *   a media server gets its own endpoints; one with neither gets none (the client shows the
 *   twin's view from its pose). 404 for an unknown id or a terminal that is not a camera, 503
 *   when every encoder is busy.
 * - `GET /api/cameras/:id/live/:token/:file` — the HLS playlist and segments. The token in the
 *   path is checked on every request (bound to the camera, unexpired); each request counts its
 *   viewer as watching, and the encoder stops a few seconds after the last viewer goes quiet.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { STREAM_PROTOCOLS } from '../../../domain/cameras';
import { isCameraType } from '../../../domain/cameraChecks';
import type { TerminalRecord } from '../../../domain/twinPackage';
import { Errors } from '../../errors';
import { EncoderLimitError } from '../../video/EncoderPool';
import { STREAM_TOKEN_PATTERN } from '../../video/streamTokens';
import { BEARER, errors } from '../cases/schemas';
import { CameraInfoSchema, RecordIdParams } from '../schemas';

const CameraSchema = Type.Object({
  id: Type.String(),
  poleId: Type.String(),
  type: Type.Union([Type.Literal('camera'), Type.Literal('traffic-camera')]),
  model: Type.String(),
  roadId: Type.Optional(Type.String()),
  gridCode: Type.Optional(Type.String()),
  camera: CameraInfoSchema,
});

const StreamAnswerSchema = Type.Object({
  cameraId: Type.String(),
  /** Where to play it, best first; empty: no video (show the twin's view from the pose). */
  streams: Type.Array(Type.Object({ protocol: Type.Enum(STREAM_PROTOCOLS), url: Type.String() })),
  embedded: Type.Boolean(),
  /** When the embedded stream's token expires (ms); ask again before then to keep watching. */
  expiresAt: Type.Optional(Type.Number()),
});

const LiveParams = Type.Object({
  id: RecordIdParams.properties.id,
  token: Type.String({ pattern: STREAM_TOKEN_PATTERN, maxLength: 100 }),
  file: Type.String({ pattern: '^(index\\.m3u8|seg\\d{1,9}\\.ts)$', description: 'index.m3u8 or segNNNNN.ts' }),
});

/** How long a playlist request waits for a just-started encoder's first segment. */
const FIRST_SEGMENT_WAIT_MS = 8000;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { twin, video } = app;
  const anyUser = app.requireUser();

  const cameraTerminal = (id: string): TerminalRecord => {
    const t = twin.terminalById.get(id);
    if (!t || !isCameraType(t.type)) throw new Errors.NotFound('camera', id);
    return t;
  };

  app.get(
    '/',
    {
      preParsing: anyUser,
      schema: {
        summary: 'Cameras with their pose and streams',
        security: BEARER,
        querystring: Type.Object({
          roadId: Type.Optional(Type.String({ maxLength: 64 })),
          gridCode: Type.Optional(Type.String({ pattern: '^\\d{1,14}$', description: 'a grid cell code, or a prefix (street, community)' })),
          ids: Type.Optional(Type.String({ maxLength: 4000, description: 'comma-separated camera ids' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(CameraSchema) }), ...errors(400, 401) },
      },
    },
    async (request) => {
      const { roadId, gridCode, ids } = request.query;
      const wanted = ids === undefined ? undefined : new Set(ids.split(',').filter(Boolean));
      const items = [];
      for (const t of twin.terminals) {
        if (!t.camera || !isCameraType(t.type) || (wanted && !wanted.has(t.id))) continue;
        const pole = twin.poleById.get(t.poleId);
        if (roadId !== undefined && pole?.roadId !== roadId) continue;
        if (gridCode !== undefined && !pole?.gridCode?.startsWith(gridCode)) continue;
        items.push({
          id: t.id,
          poleId: t.poleId,
          type: t.type,
          model: t.model,
          ...(pole?.roadId ? { roadId: pole.roadId } : {}),
          ...(pole?.gridCode ? { gridCode: pole.gridCode } : {}),
          camera: t.camera,
        });
      }
      return { items };
    },
  );

  app.post(
    '/:id/stream',
    {
      preParsing: anyUser,
      schema: {
        summary: 'Where to play a camera (starts its embedded encoder)',
        security: BEARER,
        params: RecordIdParams,
        response: { 200: StreamAnswerSchema, ...errors(401, 404, 503) },
      },
    },
    async (request) => {
      const t = cameraTerminal(request.params.id);
      const camera = t.camera;
      if (!camera) return { cameraId: t.id, streams: [], embedded: false };
      if (!camera.embedded) return { cameraId: t.id, streams: camera.streams, embedded: false };
      const { token, claims } = video.tokens.issue(t.id, request.user!.id, Date.now());
      try {
        video.pool.watch(t.id, claims.nonce);
      } catch (err) {
        if (err instanceof EncoderLimitError) throw new Errors.VideoBusy(err.message);
        throw err;
      }
      const url = `/api/cameras/${encodeURIComponent(t.id)}/live/${token}/index.m3u8`;
      return { cameraId: t.id, streams: [{ protocol: 'hls' as const, url }, ...camera.streams], embedded: true, expiresAt: claims.expiresAt };
    },
  );

  app.get(
    '/:id/live/:token/:file',
    {
      schema: {
        summary: 'HLS playlist and segments of an embedded camera stream (token from POST /:id/stream)',
        // No response schema: the body is the file's bytes (errors have the usual shape).
        params: LiveParams,
      },
    },
    async (request, reply) => {
      const { id, token, file } = request.params;
      const t = cameraTerminal(id);
      const claims = video.tokens.verify(token, t.id, Date.now());
      if (!claims) throw new Errors.Unauthorized('the stream token is invalid, expired or for another camera; ask POST /api/cameras/:id/stream again');
      // The playlist is asked for every segment or so: a user disabled meanwhile stops there.
      if (file === 'index.m3u8' && !(await app.users.active(claims.userId))) {
        throw new Errors.Unauthorized('the user this stream was issued to is no longer active');
      }
      try {
        // A viewer coming back after its encoder stopped starts it again.
        video.pool.watch(t.id, claims.nonce);
      } catch (err) {
        if (err instanceof EncoderLimitError) throw new Errors.VideoBusy(err.message);
        throw err;
      }
      if (file === 'index.m3u8' && !(await video.pool.waitForPlaylist(t.id, claims.nonce, FIRST_SEGMENT_WAIT_MS))) {
        throw new Errors.VideoBusy(`camera ${t.id}: the encoder has not written its first segment yet; retry`);
      }
      const onDisk = video.pool.file(t.id, file);
      if (!onDisk) throw new Errors.NotFound('segment', file);
      let bytes: Buffer;
      try {
        bytes = await readFile(onDisk);
      } catch {
        // Deleted between the check and the read (the live window moved on).
        throw new Errors.NotFound('segment', file);
      }
      return reply.type(file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t').send(bytes);
    },
  );
};

export default routes;
