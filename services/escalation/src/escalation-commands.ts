/**
 * A manager escalates an escalation to the next rung by hand (003 §4: the Service Manager "where
 * necessary, escalate[s] their concerns to the relevant Assistant Director"). As the transfer
 * actions do: read the child's stream, ask the core (escalateByRequest), append at the version
 * read; a concurrent write makes it run again, judged afresh against what was recorded; with an
 * Idempotency-Key a retry gets the first answer and never climbs a second rung (recordOnce).
 */
import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mayAccess, type Principal } from '@cto/access-control';
import { escalateByRequest, localDateOf, type LocalDate } from '@cto/domain';
import type { EventStore, StoredEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import { childStateOf, CLOCK, decisionEvents, EVENT_STORE, NotFound, PACK_REGISTRY, recordOnce, STORE_WAKE, type Clock, type IdempotentRequest } from '@cto/runtime';

export interface EscalateResult {
  escalationId: string;
  rung: number;
  role: string;
  dueBy: LocalDate | null;
  recorded: { eventId: string; type: string }[];
}


@Injectable()
export class EscalationCommands {
  private readonly logger = new Logger('escalation');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
  ) {}

  /**
   * The escalation one rung up, or 404 (unknown, or another tenant's: ids cannot be probed across
   * tenants), or 409 with where it stands (resolved, or at the top of the ladder).
   */
  escalate(escalationId: string, principal: Principal, reason: string, idempotency?: IdempotentRequest): Promise<EscalateResult> {
    // Each request is its own cause (as a transfer action's is); the key makes a retry harmless.
    const commandId = `cmd-${randomUUID()}`;
    return recordOnce(
      this.store,
      idempotency,
      escalationId,
      async () => {
        const streamId = await this.store.findEscalationStream(escalationId);
        const { events, currentVersion } = streamId ? await this.store.readStream(streamId) : { events: [], currentVersion: 0 };
        const first = events[0] as StoredEvent | undefined;
        const compiled = first && this.packs.forAuthority(first.metadata.authority);
        if (!streamId || !first || !compiled || !mayAccess(principal, first.metadata.authority)) throw new NotFound('escalation-not-found', `no escalation ${escalationId}`);
        const { authority, childId } = first.metadata;
        return {
          authority,
          decide: () => {
            const now = this.clock.now();
            const outcome = escalateByRequest(childStateOf(events, authority, childId), compiled, { escalationId, by: principal.subject, reason, on: localDateOf(now) });
            if (!outcome.ok) {
              const { ok: _ok, problem, message, ...where } = outcome;
              if (problem === 'escalation-not-found') throw new NotFound(problem, message);
              throw new HttpException({ error: 'conflict', problem, message, escalationId, ...where }, HttpStatus.CONFLICT);
            }
            const familyId = [...events].reverse().find((e) => e.metadata.familyId)?.metadata.familyId;
            const cause = { eventId: commandId, metadata: { kind: 'decision' as const, authority, childId, ...(familyId ? { familyId } : {}), occurredAt: now } };
            const recorded = decisionEvents(outcome.decisions, cause, now);
            const result: EscalateResult = { escalationId, rung: outcome.rung, role: outcome.role, dueBy: outcome.decisions[0].data.dueBy, recorded: recorded.map((e) => ({ eventId: e.eventId, type: e.type })) };
            return { streamId, events: recorded, expectedVersion: currentVersion, result };
          },
        };
      },
      (recorded) => {
        this.wake.emit('appended');
        for (const e of recorded) this.logger.log({ eventId: e.eventId, decision: e.type, escalationId }, 'escalated by hand');
      },
    );
  }
}
