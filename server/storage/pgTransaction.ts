/**
 * One PostgreSQL transaction on a pooled client: BEGIN, `fn`, COMMIT — ROLLBACK on any error —
 * and the client back to the pool. Shared by the case storage and the history store.
 */
import type pg from 'pg';

export async function pgTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A backend terminated between two statements makes the checked-out client emit 'error',
  // which would end the process unheard; the next statement fails and reports it instead.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', ignore);
    client.release();
  }
}
