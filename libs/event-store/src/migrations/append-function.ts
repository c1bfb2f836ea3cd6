/**
 * The append as one statement (issue 14; DESIGN.md "Storage": lock, expected-version check and
 * insert together), in the manner of Emmett's `emt_append_to_stream`. Before it, an append was five
 * round trips (BEGIN, advisory lock, head SELECT, INSERT, COMMIT), two more inside a transaction
 * (SAVEPOINT, RELEASE); on this machine a round trip costs more than the work in it
 * (bench/README.md, "Event store append").
 *
 * `events_append(stream, expected, events)` does, in the statement's own transaction or the
 * caller's:
 *  1. takes the stream's advisory lock (STREAM_LOCK_CLASS, hashtext(stream id)), so writers of one
 *     stream queue and concurrent 'any' appends all succeed, one after another;
 *  2. reads the stream's head (version, and the hash its next event chains to). This is a separate
 *     statement of a plpgsql function, so under READ COMMITTED it sees what a writer it waited for
 *     committed; one plain SQL statement could not (its snapshot is older than its lock);
 *  3. refuses a stale expected version (NULL: 'any') by returning the version it found, before
 *     writing anything, so that refusal needs no savepoint in a caller's transaction;
 *  4. finishes each event's link in the hash chain: the client sends each event's canonical JSON
 *     cut around its stream version (`canonicalAroundVersion`), and here the version is put in and
 *     sha256(previous hash || canonical JSON) computed, exactly as `integrityHash` does in
 *     TypeScript, so `verifyStore` and the hash format are unchanged. The event's columns are parsed
 *     from that same JSON, so each event is sent once;
 *  5. inserts each event and returns the stream's new version and the global positions.
 * An event id already recorded for its authority (a redelivery, or another stream's writer that
 * commits while we wait on the index) or a version written by someone who bypassed the lock raises
 * unique_violation, which undoes the statement; `events_append_refusal`, run after, says which of
 * the two it was. The common path pays for no duplicate check of its own: measured on this machine,
 * a separate check statement doubled the function's time, and ON CONFLICT DO NOTHING (skipping a
 * clashing row instead of raising) added a fifth.
 *
 * `events_append_guarded` runs it in a subtransaction (a plpgsql exception block) and returns any
 * refusal or error as a result instead, for appends inside a caller's transaction: a refused append
 * leaves nothing and the transaction goes on, as under the client savepoint it replaces, without
 * that savepoint's two round trips.
 *
 * The outcome is jsonb: {outcome: 'appended', version, positions: [text…]} | {outcome: 'conflict',
 * version}; from the refusal and the guarded one also {outcome: 'duplicate', eventIds}, and from the
 * guarded one {outcome: 'failed', code, message}.
 */
import { GENESIS_HASH } from '../integrity';
import { STREAM_LOCK_CLASS } from '../sql/advisory-locks';

export const appendFunction = `
CREATE OR REPLACE FUNCTION events_append(p_stream_id text, p_expected bigint, p_events text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  -- [[canonical JSON before the version, after it], …] in stream order.
  v_parts     jsonb := p_events::jsonb;
  v_count     integer := jsonb_array_length(v_parts);
  v_version   integer;
  v_hash      text;
  v_canonical text;
  v_next      text;
  v_event     jsonb;
  v_position  bigint;
  v_positions text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(${STREAM_LOCK_CLASS}, hashtext(p_stream_id));

  -- An event stored before hashes existed has none: the chain restarts at genesis (verifyStore reports it).
  SELECT e.stream_version, coalesce(e.metadata->'integrity'->>'hash', '${GENESIS_HASH}')
    INTO v_version, v_hash
    FROM events e
   WHERE e.stream_id = p_stream_id
   ORDER BY e.stream_version DESC
   LIMIT 1;
  IF NOT FOUND THEN
    v_version := 0;
    v_hash := '${GENESIS_HASH}';
  END IF;

  IF p_expected IS NOT NULL AND p_expected <> v_version THEN
    RETURN jsonb_build_object('outcome', 'conflict', 'version', v_version);
  END IF;

  FOR i IN 0 .. v_count - 1 LOOP
    v_canonical := (v_parts->i->>0) || (v_version + i + 1)::text || (v_parts->i->>1);
    v_next := encode(sha256(convert_to(v_hash || v_canonical, 'UTF8')), 'hex');
    v_event := v_canonical::jsonb;
    -- A plain INSERT: a clash on a unique index (an event id recorded for its authority, a version
    -- written without the lock) raises unique_violation, after waiting for the clashing writer to
    -- commit if it has not yet; events_append_refusal then says which.
    INSERT INTO events (event_id, stream_id, stream_version, type, data, metadata)
    VALUES (v_event->>'eventId', p_stream_id, v_version + i + 1, v_event->>'type', v_event->'data',
            (v_event->'metadata') || jsonb_build_object('integrity', jsonb_build_object('previousHash', v_hash, 'hash', v_next)))
    RETURNING global_position INTO v_position;
    v_positions := array_append(v_positions, v_position::text);
    v_hash := v_next;
  END LOOP;

  RETURN jsonb_build_object('outcome', 'appended', 'version', v_version + v_count, 'positions', to_jsonb(v_positions));
END
$$`;

export const appendRefusalFunction = `
CREATE OR REPLACE FUNCTION events_append_refusal(p_stream_id text, p_events text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_duplicates jsonb;
BEGIN
  -- Called once the append has been undone, so none of these rows is ours: a batch event found
  -- recorded for its authority was recorded by someone else (the version put in is only a placeholder).
  SELECT jsonb_agg(x.event->>'eventId' ORDER BY x.n) INTO v_duplicates
    FROM (SELECT ((p->>0) || '0' || (p->>1))::jsonb AS event, n
            FROM jsonb_array_elements(p_events::jsonb) WITH ORDINALITY AS t(p, n)) x
   WHERE EXISTS (SELECT 1 FROM events r
                  WHERE r.metadata->>'authority' = x.event->'metadata'->>'authority' AND r.event_id = x.event->>'eventId');
  IF v_duplicates IS NOT NULL THEN
    RETURN jsonb_build_object('outcome', 'duplicate', 'eventIds', v_duplicates);
  END IF;
  RETURN jsonb_build_object('outcome', 'conflict', 'version',
    (SELECT coalesce(max(r.stream_version), 0) FROM events r WHERE r.stream_id = p_stream_id));
END
$$`;

export const guardedAppendFunction = `
CREATE OR REPLACE FUNCTION events_append_guarded(p_stream_id text, p_expected bigint, p_events text) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
  RETURN events_append(p_stream_id, p_expected, p_events);
EXCEPTION
  WHEN unique_violation THEN
    RETURN events_append_refusal(p_stream_id, p_events);
  WHEN OTHERS THEN
    RETURN jsonb_build_object('outcome', 'failed', 'code', SQLSTATE, 'message', SQLERRM);
END
$$`;

/**
 * Migration 9: several appends in one statement (`appendToStreams`), for a writer that records a
 * batch in one transaction (intake: up to 500 facts a request), which made one round trip per append.
 *
 * `events_append_each(appends)` takes a JSON array of [stream id, expected version or null, events
 * as events_append takes them] and calls events_append_guarded on each, in array order, and answers
 * {outcome: 'each', outcomes: [each append's outcome, in the same order]}.
 *
 * Why a loop here rather than one SELECT joining jsonb_array_elements(…) WITH ORDINALITY to a
 * LATERAL events_append_guarded(…): such a statement does run the appends one after another in
 * array order today (a nested loop over the array, whose ordinality the planner knows is sorted),
 * and each call, a volatile function, sees the rows of the calls before it. But that order is a
 * choice of the planner, not something PostgreSQL promises (ORDER BY orders the output, not the
 * evaluation), and the order decides versions and hash links. A loop's order is the language's.
 *
 * Each append is guarded on its own (a subtransaction each), so a conflict or a duplicate leaves
 * nothing of that append and does not undo the others. An append that fails for another reason
 * (content the database cannot store) undoes the whole call instead, through the outer exception
 * block, and is answered {outcome: 'failed', code, message, index}: the caller throws, as it would
 * for that single append, and nothing of the call is left behind for it to account for.
 */
export const appendEachFunction = `
CREATE OR REPLACE FUNCTION events_append_each(p_appends text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_appends  jsonb;
  v_append   jsonb;
  v_outcome  jsonb;
  v_outcomes jsonb[] := '{}';
  v_failed   jsonb;
BEGIN
  v_appends := p_appends::jsonb;
  FOR i IN 0 .. jsonb_array_length(v_appends) - 1 LOOP
    v_append := v_appends->i;
    v_outcome := events_append_guarded(v_append->>0, (v_append->>1)::bigint, (v_append->2)::text);
    IF v_outcome->>'outcome' = 'failed' THEN
      -- Kept in a variable, which the rollback below does not touch.
      v_failed := v_outcome || jsonb_build_object('index', i);
      RAISE EXCEPTION 'append % of the call failed: undo the call', i;
    END IF;
    v_outcomes := array_append(v_outcomes, v_outcome);
  END LOOP;
  RETURN jsonb_build_object('outcome', 'each', 'outcomes', to_jsonb(v_outcomes));
EXCEPTION
  WHEN OTHERS THEN
    RETURN coalesce(v_failed, jsonb_build_object('outcome', 'failed', 'code', SQLSTATE, 'message', SQLERRM));
END
$$`;
