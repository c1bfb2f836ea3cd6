/**
 * The schema, as ordered versions. A version is never edited once released: a change is a new
 * version appended to the list (DESIGN.md "Contracts": no edit in place). Each statement is run on
 * its own because PGlite's query runs one statement at a time.
 */
import type { SqlExecutor } from '../sql/sql-client';
import { appendEachFunction, appendFunction, appendRefusalFunction, guardedAppendFunction } from './append-function';
import { ESCALATION_ALSO_TOLD_STATEMENTS, READ_MODEL_STATEMENTS, TRANSFER_CLOSED_REASON_STATEMENTS } from './read-model-tables';
import { moveToUnambiguousStreamIds, UNAMBIGUOUS_STREAM_IDS_VERSION } from './unambiguous-stream-ids';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
  /**
   * Work SQL alone cannot do (hashing events), run after the statements in the same transaction:
   * `tx` is the migration's transaction on whichever driver opened the store (pg or PGlite).
   */
  run?: (tx: SqlExecutor) => Promise<void>;
}

const eventsTable = `
CREATE TABLE events (
  -- Identity, not a caller-supplied number: nobody can write a position by hand.
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The writing transaction; global readers order by (transaction_id, global_position), see readAll.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        text        NOT NULL,
  stream_id       text        NOT NULL,
  stream_version  integer     NOT NULL CHECK (stream_version > 0),
  type            text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
)`;

// The global reader's order and its "after this checkpoint" condition use this index.
const eventsTransactionOrderIndex = `
CREATE INDEX events_transaction_order ON events (transaction_id, global_position)`;

// DESIGN.md "Storage": no UPDATE or DELETE of events, ever, enforced by the database so that no
// code path (nor a hand-typed psql session) can rewrite history. Statement-level, so it fires even
// when the statement would touch no row, and so it can cover TRUNCATE as well.
const refuseEventChanges = `
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused', TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'record a new event that corrects or supersedes the old one';
END
$$`;

const eventsAppendOnlyTrigger = `
CREATE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change()`;

const subscriptionCheckpointsTable = `
CREATE TABLE subscription_checkpoints (
  subscription text        PRIMARY KEY,
  checkpoint   text        NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
)`;

// Durable timers: the next day each child's stream has something due (an escalation rung, a
// handover deadline, a checklist item, an age milestone). One row per stream, replaced as the
// stream changes; a timer fires by deleting its row in the transaction that records what it
// decided, so a crash before COMMIT leaves it to fire again, and after COMMIT it never fires twice.
const wakesTable = `
CREATE TABLE wakes (
  stream_id  text        PRIMARY KEY,
  wake_on    date        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

const wakesDueIndex = `CREATE INDEX wakes_due ON wakes (wake_on)`;

// Manager actions name a transfer, not a child: this finds the stream a transfer belongs to.
const transferIdIndex = `
CREATE INDEX events_transfer_proposed ON events ((data->>'transferId')) WHERE type = 'TransferProposed'`;

// Siblings: a child's family id finds the other children of the family.
const familyIdIndex = `
CREATE INDEX events_family ON events ((metadata->>'familyId')) WHERE metadata ? 'familyId'`;

// A case event's identity is (authority, eventId) (DESIGN.md "Storage"): each case-management
// system chooses its own ids, so two authorities' ids may meet; one authority's id, once recorded,
// is taken. A decision's id is derived with its authority in it, so it never meets another's.
const eventIdPerAuthority = [
  `ALTER TABLE events DROP CONSTRAINT events_event_id_unique`,
  `CREATE UNIQUE INDEX events_authority_event_id ON events ((metadata->>'authority'), event_id)`,
  `CREATE INDEX events_event_id ON events (event_id)`,
];

// An Idempotency-Key's first outcome, replayed to a retry of the same request (README "HTTP API"):
// scoped to the tenant, the caller, the route and its target, so one client's key never answers
// another's request. Kept 24 hours (expiry is judged on the database clock when a key is used again).
const idempotencyKeysTable = `
CREATE TABLE idempotency_keys (
  authority   text        NOT NULL,
  principal   text        NOT NULL,
  route       text        NOT NULL,
  target      text        NOT NULL,
  key         text        NOT NULL,
  fingerprint text        NOT NULL,
  status      integer     NOT NULL,
  response    jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (authority, principal, route, target, key)
)`;

// A manager escalating by hand names the escalation: this finds the stream it was raised on.
const escalationIdIndex = `
CREATE INDEX events_escalation_raised ON events ((data->>'escalationId')) WHERE type = 'EscalationRaised'`;

// How far each consumer (allocation, checklist, escalation, each a Kafka consumer group of several
// instances) has handled each child's stream. A consumer locks its rows in the transaction that
// records its decisions (claimStreams), so a second instance handling the same stream waits and then
// reads what the first one marked. Ordinary mutable state: rows are updated in place, unlike events.
const handledStreamsTable = `
CREATE TABLE handled_streams (
  consumer        text        NOT NULL,
  stream_id       text        NOT NULL,
  handled_version integer     NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, stream_id)
)`;

// The store's reads name a few streams or events (`= ANY(ARRAY(…))` of a batch's ids). Until
// PostgreSQL has analysed the table (a new store; autovacuum off or not yet run), it guesses such a
// condition matches a twentieth of the table, and once the table is large it plans those reads as
// parallel scans: each launched two workers to fetch a few dozen rows and took ~300 ms on a loaded
// machine, so at a steady 1,000 case events/s the deciding services fell behind and never caught up
// (bench/README.md section 3). No read of events scans enough of it for workers to pay (the rest
// page by an index: the global reader, verify), so the table is never scanned in parallel whatever
// the statistics.
const eventsNeverParallel = `ALTER TABLE events SET (parallel_workers = 0)`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    statements: [eventsTable, eventsTransactionOrderIndex, refuseEventChanges, eventsAppendOnlyTrigger],
  },
  { version: 2, name: 'subscription_checkpoints', statements: [subscriptionCheckpointsTable] },
  { version: 3, name: 'wakes, transfer and family lookups', statements: [wakesTable, wakesDueIndex, transferIdIndex, familyIdIndex] },
  { version: 4, name: 'reporting read models and views', statements: READ_MODEL_STATEMENTS },
  { version: UNAMBIGUOUS_STREAM_IDS_VERSION, name: 'stream ids child/<authority>/<childId>', statements: [], run: moveToUnambiguousStreamIds },
  { version: 6, name: 'event ids per authority; idempotency keys; escalation lookup', statements: [...eventIdPerAuthority, idempotencyKeysTable, escalationIdIndex] },
  { version: 7, name: 'handled streams per consumer', statements: [handledStreamsTable] },
  { version: 8, name: 'the append as one statement', statements: [appendFunction, appendRefusalFunction, guardedAppendFunction] },
  { version: 9, name: 'several appends in one statement', statements: [appendEachFunction] },
  { version: 10, name: 'events never scanned in parallel', statements: [eventsNeverParallel] },
  { version: 11, name: 'who else each escalation told', statements: ESCALATION_ALSO_TOLD_STATEMENTS },
  { version: 12, name: 'why each transfer closed', statements: TRANSFER_CLOSED_REASON_STATEMENTS },
];
