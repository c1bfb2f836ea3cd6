import { EventEmitter } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { PgSqlClient } from './pg-sql-client';

/**
 * A stand-in for pg-pool's lending, close enough to its order of events to reproduce the CI crash
 * on a PostgreSQL restart: the pool hands out the connection from inside the socket handler, and
 * the server's FATAL in the same read is emitted as 'error' before any awaited continuation runs.
 */
class DyingConnection extends EventEmitter {
  released: unknown[] = [];
  private dead?: Error;
  die(error: Error): void {
    this.dead = error;
    // Like an EventEmitter with no listener, pg's client throws this out of the socket handler.
    this.emit('error', error);
  }
  async query(): Promise<{ rows: unknown[] }> {
    if (this.dead) throw new Error('Client has encountered a connection error and is not queryable');
    return { rows: [] };
  }
  release(error?: unknown): void {
    this.released.push(error);
  }
}

function poolLending(connection: DyingConnection, before?: (c: DyingConnection) => void): Pool {
  return {
    // Both of pg-pool's forms: a callback, or a promise resolved at the same point.
    connect(callback?: (error: Error | undefined, client: PoolClient | undefined, done: () => void) => void) {
      return new Promise((resolve) => {
        setImmediate(() => {
          callback?.(undefined, connection as unknown as PoolClient, () => undefined);
          resolve(connection);
          before?.(connection);
        });
      });
    },
  } as unknown as Pool;
}

describe('PgSqlClient transactions when the server goes away', () => {
  it('takes a FATAL that arrives in the same read as the lent connection, fails the transaction and discards the connection', async () => {
    const connection = new DyingConnection();
    const sql = new PgSqlClient(poolLending(connection, (c) => c.die(new Error('terminating connection due to administrator command'))));

    await expect(sql.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toThrow('not queryable');

    expect(connection.released).toHaveLength(1);
    expect(connection.released[0]).toBeInstanceOf(Error);
    expect(connection.listenerCount('error')).toBe(0);
  });

  it('takes a FATAL between two statements and discards the connection', async () => {
    const connection = new DyingConnection();
    const sql = new PgSqlClient(poolLending(connection));

    await expect(
      sql.transaction(async (tx) => {
        await tx.query('SELECT 1');
        connection.die(new Error('terminating connection due to administrator command'));
        await tx.query('SELECT 2');
      }),
    ).rejects.toThrow('not queryable');

    expect(connection.released).toEqual([expect.any(Error)]);
  });

  it('returns a healthy connection to the pool', async () => {
    const connection = new DyingConnection();
    const sql = new PgSqlClient(poolLending(connection));

    await expect(sql.transaction(async (tx) => tx.query('SELECT 1'))).resolves.toEqual([]);

    expect(connection.released).toEqual([undefined]);
  });
});
