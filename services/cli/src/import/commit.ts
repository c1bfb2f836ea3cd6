/**
 * `--commit`: the prepared facts go through the door every case-management system uses,
 * `POST /v1/case-events`, so they meet the same validation, tenant scope and idempotency, and the
 * decisions are made by the running services, not here. Batches hold at most 500 events (the
 * endpoint's limit) and never split a child: a batch is recorded all or none, so a child is never
 * half-imported. A refused batch stops the import with the system's own field-level answer;
 * whatever was recorded before it stays, and running the import again records nothing twice.
 */
import type { CaseEvent, TransferStatus } from '@cto/domain';
import type { PreparedCaseload, ReportedTransfer } from '@cto/statutory-returns';
import type { Progress } from './progress';

export interface SystemConnection {
  url: string;
  token: string;
}

export const MAX_BATCH = 500;

const REUSED =
  'the system already holds a different fact under this record (a later return correcting an earlier one): nothing of this child was recorded now; record the correction in the case-management system, the store is append-only';

/**
 * A child the system refused at the door: one of its facts reuses the id of a different fact
 * already recorded (409 event-id-reused). That is a later return correcting an earlier one (a date
 * of birth put right, reviews renumbered by a new collection year): the store is append-only, so
 * the correction is the case-management system's to record as a new fact, and the import says so.
 */
export interface RefusedAtTheDoor {
  childId: string;
  eventId: string;
  reason: string;
}

export type CommitOutcome = { ok: true; recorded: number; duplicates: number; refused: RefusedAtTheDoor[] } | { ok: false; message: string };

/** Children's facts packed into batches of at most MAX_BATCH events, each child whole. */
export function batchesOf(caseload: PreparedCaseload): CaseEvent[][] {
  const batches: CaseEvent[][] = [];
  let current: CaseEvent[] = [];
  for (const child of caseload.children) {
    if (child.facts.length > MAX_BATCH) throw new Error(`child ${child.childId} has ${child.facts.length} events, more than one request may carry (${MAX_BATCH})`);
    if (current.length + child.facts.length > MAX_BATCH) {
      batches.push(current);
      current = [];
    }
    current.push(...child.facts);
  }
  if (current.length) batches.push(current);
  return batches;
}

export async function commitCaseload(caseload: PreparedCaseload, connection: SystemConnection, progress: Progress): Promise<CommitOutcome> {
  const batches = batchesOf(caseload);
  const total = batches.reduce((n, b) => n + b.length, 0);
  const tracker = progress.tracker('recording', total);
  let recorded = 0;
  let duplicates = 0;
  const refused: RefusedAtTheDoor[] = [];
  try {
    for (let batch of batches) {
      let response = await request(connection, '/v1/case-events', { method: 'POST', body: JSON.stringify(batch) });
      // A batch is all or none: the children whose facts reuse an id are left out, the rest sent again.
      while (response.status === 409 && batch.length) {
        const body = (await response.json()) as { error?: string; errors?: { eventId: string }[] };
        const reusedIds = new Set((body.errors ?? []).map((e) => e.eventId));
        const children = new Set(batch.filter((e) => reusedIds.has(e.eventId)).map((e) => e.childId));
        if (body.error !== 'event-id-reused' || !children.size) break;
        for (const e of batch.filter((f) => reusedIds.has(f.eventId))) refused.push({ childId: e.childId, eventId: e.eventId, reason: REUSED });
        batch = batch.filter((e) => !children.has(e.childId));
        if (!batch.length) break;
        response = await request(connection, '/v1/case-events', { method: 'POST', body: JSON.stringify(batch) });
      }
      if (!batch.length) continue;
      if (response.status !== 202) {
        return { ok: false, message: `POST /v1/case-events refused a batch (${response.status}): ${await response.text()}\n${recorded + duplicates} events were recorded before it; fix the cause and run the import again (nothing is recorded twice)` };
      }
      const { accepted } = (await response.json()) as { accepted: { eventId: string; status: 'recorded' | 'duplicate' }[] };
      for (const a of accepted) if (a.status === 'duplicate') duplicates++;
      else recorded++;
      tracker.tick(recorded + duplicates);
    }
  } catch (error) {
    return { ok: false, message: `cannot reach the system at ${connection.url}: ${(error as Error).message} (start it with npm start, or pass --url)` };
  } finally {
    tracker.end();
  }
  return { ok: true, recorded, duplicates, refused };
}

const OPEN: TransferStatus[] = ['proposed', 'accepted', 'disputed'];

/** The system's open transfers for the imported children, from `GET /v1/transfers`, page by page. */
export async function openTransfersOf(caseload: PreparedCaseload, connection: SystemConnection): Promise<Omit<ReportedTransfer, 'overdue'>[]> {
  const imported = new Set(caseload.children.map((c) => c.childId));
  const found: Omit<ReportedTransfer, 'overdue'>[] = [];
  for (const status of OPEN) {
    for (let cursor: string | null = ''; cursor !== null; ) {
      const query = new URLSearchParams({ authority: caseload.authority, status, limit: '500', ...(cursor ? { cursor } : {}) });
      const response = await request(connection, `/v1/transfers?${query}`, { method: 'GET' });
      if (response.status !== 200) throw new Error(`GET /v1/transfers answered ${response.status}: ${await response.text()}`);
      const page = (await response.json()) as { transfers: (Omit<ReportedTransfer, 'overdue'> & { status: TransferStatus })[]; nextCursor: string | null };
      for (const t of page.transfers) {
        if (imported.has(t.childId)) found.push({ childId: t.childId, transferId: t.transferId, fromTeam: t.fromTeam, toTeam: t.toTeam, status: t.status, ruleId: t.ruleId, citation: t.citation, dueBy: t.dueBy });
      }
      cursor = page.nextCursor;
    }
  }
  return found;
}

const request = (connection: SystemConnection, path: string, init: { method: string; body?: string }) =>
  fetch(`${connection.url}${path}`, { ...init, headers: { authorization: `Bearer ${connection.token}`, 'content-type': 'application/json' } });
