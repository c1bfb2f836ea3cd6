/**
 * The smallest surface the store needs from a PostgreSQL connection, so the SQL of the store is
 * written once and runs unchanged on `pg` (a pool of real connections) and on PGlite (one embedded
 * connection). Parameters are scalars only: arrays and documents travel as JSON text and are
 * unpacked in SQL, which avoids the two drivers' different array serializers.
 */
export type SqlParameter = string | number | boolean | null;

/**
 * A statement run so often that parsing and planning it each time shows (the append): a driver that
 * can keep it prepared on each connection under `name` does (pg), others run `text` (PGlite). Its
 * result columns must never change, or a connection holding it prepared would refuse it after a
 * migration ("cached plan must not change result type").
 */
export interface NamedStatement {
  name: string;
  text: string;
}

export interface SqlExecutor {
  /**
   * Runs one statement and returns its rows. `Row` is the caller's claim about the columns; the
   * driver does not check it, so queries cast in SQL (`::text`) to make the claim hold on both drivers.
   */
  query<Row = Record<string, unknown>>(statement: string | NamedStatement, params?: readonly SqlParameter[]): Promise<Row[]>;
}

export interface SqlClient extends SqlExecutor {
  /**
   * Runs `work` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it
   * throws (the error is rethrown unchanged). The executor must not be used after `work` settles.
   * Inside `work`, use only the executor given: on PGlite the client itself waits for the
   * transaction to end, so calling it from inside would never return.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when a transaction-bound executor is used after its transaction has ended. */
export class TransactionFinished extends Error {
  readonly code = 'TRANSACTION_FINISHED';
  constructor() {
    super('this transaction has already committed or rolled back; its executor cannot be used any more');
  }
}
