/**
 * A command recorded once, answered the same way every time it is retried (README "HTTP API",
 * Idempotency-Key): what the transfer actions and escalating by hand share. The key is scoped to
 * the tenant, the caller, the route and its target; the first answer (200, or a 409 refusal the
 * state gave) is kept with the decisions in one transaction and replayed to a retry with the same
 * body; another body under the key is 422. A concurrent write is retried, judged afresh.
 */
import { HttpException, HttpStatus } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { StreamVersionConflict, type EventStore, type IdempotentResponse, type NewEvent } from '@cto/event-store';
import { NO_WAIT, retryOrThrow } from '@cto/messaging';

/** A request that carries an Idempotency-Key, with what scopes it and a fingerprint of its body. */
export interface IdempotentRequest {
  key: string;
  principal: string;
  route: string;
  /** sha256 of the request's canonical body: tells a retry from another request under the same key. */
  fingerprint: string;
}

/** Printable ASCII without spaces, up to 255 characters: a UUID, or a client's own request id. */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

/**
 * The request's Idempotency-Key with its fingerprint, or undefined without one. A malformed key is
 * refused, never ignored: ignoring it would leave a retry free to record twice.
 */
export function idempotentRequestOf(header: string | undefined, principal: string, route: string, body: unknown): IdempotentRequest | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new HttpException(
      { error: 'invalid-request', message: 'the Idempotency-Key header is malformed', errors: [{ path: '/headers/idempotency-key', reason: 'must be 1 to 255 printable ASCII characters without spaces' }] },
      HttpStatus.BAD_REQUEST,
    );
  }
  return { key: header, principal, route, fingerprint: createHash('sha256').update(canonicalize(body ?? {}) ?? '').digest('hex') };
}

/** One try of a command: whose it is, and a decision on the state just read (or a refusal thrown). */
export interface CommandAttempt<R> {
  authority: string;
  decide: () => { streamId: string; events: NewEvent[]; expectedVersion: number; result: R };
}

const ATTEMPTS = 5;

/** Another request with the same key committed first: its answer is this request's answer. */
class KeyTakenMeanwhile extends Error {}

/**
 * Runs the command until it records, refuses, or gives up after ATTEMPTS version conflicts, each
 * tried again at once, read afresh (retryWithBackoff with NO_WAIT, as Emmett's command handler
 * retries a conflict). `attempt` reads what it needs and returns the decision to make;
 * `onRecorded` runs once the decisions are committed (never for a replayed answer).
 */
export async function recordOnce<R>(
  store: EventStore,
  request: IdempotentRequest | undefined,
  target: string,
  attempt: () => Promise<CommandAttempt<R>>,
  onRecorded: (events: NewEvent[]) => void,
): Promise<R> {
  return retryOrThrow(() => recordOrReplay(store, request, target, attempt, onRecorded), {
    backoff: NO_WAIT,
    retryIf: (error, failures) => error instanceof StreamVersionConflict && failures < ATTEMPTS,
  });
}

/** One try: the first answer under the key, a refusal, or the decisions recorded (a version conflict throws). */
async function recordOrReplay<R>(
  store: EventStore,
  request: IdempotentRequest | undefined,
  target: string,
  attempt: () => Promise<CommandAttempt<R>>,
  onRecorded: (events: NewEvent[]) => void,
): Promise<R> {
  const { authority, decide } = await attempt();
  const scope = request && { authority, principal: request.principal, route: request.route, target, key: request.key };
  if (scope) {
    const first = await store.findIdempotentResponse(scope);
    if (first) return replay(first, request);
  }
  let decided: ReturnType<CommandAttempt<R>['decide']>;
  try {
    decided = decide();
  } catch (refusal) {
    // A refusal the state gave (409) is an outcome too: a retry gets it again.
    if (!scope || !(refusal instanceof HttpException) || refusal.getStatus() !== Number(HttpStatus.CONFLICT)) throw refusal;
    const kept = await store.transaction((tx) => tx.saveIdempotentResponse(scope, { fingerprint: request.fingerprint, status: refusal.getStatus(), body: refusal.getResponse() }));
    if (!kept) return replay((await store.findIdempotentResponse(scope))!, request);
    throw refusal;
  }
  const { streamId, events, expectedVersion, result } = decided;
  try {
    await store.transaction(async (tx) => {
      if (events.length) await tx.appendToStream(streamId, events, { expectedVersion });
      if (scope && !(await tx.saveIdempotentResponse(scope, { fingerprint: request.fingerprint, status: HttpStatus.OK, body: result }))) throw new KeyTakenMeanwhile();
    });
  } catch (error) {
    if (error instanceof KeyTakenMeanwhile) return replay((await store.findIdempotentResponse(scope!))!, request!);
    throw error;
  }
  onRecorded(events);
  return result;
}

/** The first answer under the key, to a retry of the same request; another request is refused (422). */
function replay<R>(first: IdempotentResponse, request: IdempotentRequest): R {
  if (first.fingerprint !== request.fingerprint) {
    throw new HttpException(
      {
        error: 'idempotency-key-reused',
        message: 'this Idempotency-Key was used for a different request; use a new key for a new request',
        errors: [{ path: '/headers/idempotency-key', reason: 'already used with a different body' }],
      },
      HttpStatus.UNPROCESSABLE_ENTITY,
    );
  }
  if (first.status === Number(HttpStatus.OK)) return first.body as R;
  throw new HttpException(first.body as Record<string, unknown>, first.status);
}
