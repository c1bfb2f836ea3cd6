/**
 * Managers' actions on a transfer (accept, reject, dispute, complete, withdraw) and checklist items
 * met through the API. Each reads the child's stream, asks the core, and appends the decision at
 * the version it read: two managers acting at once cannot both win — the second is judged again
 * against what the first recorded (and refused, if the first made its action illegal).
 */
import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  allowedActions,
  decideTransferCommand,
  evolve,
  localDateOf,
  meetChecklistItem,
  type ChildState,
  type Decision,
  type TransferAction,
  type TransferStatus,
} from '@cto/domain';
import { decisionOf, type EventStore, type NewEvent, type StoredEvent } from '@cto/event-store';
import type { PackRegistry } from '@cto/policy-packs';
import { childStateOf, CLOCK, decisionEvents, EVENT_STORE, NotFound, PACK_REGISTRY, recordOnce, STORE_WAKE, type Clock, type IdempotentRequest } from '@cto/runtime';
import type { EventEmitter } from 'node:events';

export interface CommandResult {
  transferId: string;
  status: TransferStatus;
  allowedActions: TransferAction[];
  /** The decisions this request recorded (none when it repeated an earlier request, or met a met item). */
  recorded: { eventId: string; type: string }[];
}

/** The child a transfer belongs to, read once per attempt. */
interface TransferContext {
  streamId: string;
  authority: string;
  childId: string;
  familyId?: string;
  state: ChildState;
  currentVersion: number;
}

export class TransferConflict extends HttpException {
  constructor(body: Record<string, unknown>) {
    super({ error: 'conflict', ...body }, HttpStatus.CONFLICT);
  }
}


@Injectable()
export class TransferCommands {
  private readonly logger = new Logger('allocation');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PACK_REGISTRY) private readonly packs: PackRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STORE_WAKE) private readonly wake: EventEmitter,
  ) {}

  /** The authority a transfer belongs to (for the caller's access check), or 404. */
  async authorityOf(transferId: string): Promise<string> {
    return (await this.load(transferId)).authority;
  }

  act(
    transferId: string,
    command: { action: TransferAction; reason?: string; by?: string; capacity?: boolean },
    idempotency?: IdempotentRequest,
  ): Promise<CommandResult> {
    return this.run(transferId, idempotency, (ctx) => {
      const outcome = decideTransferCommand(ctx.state, { ...command, transferId, on: localDateOf(this.clock.now()) });
      if (outcome.ok) return outcome.decisions;
      const { ok: _ok, problem, message, ...detail } = outcome;
      if (problem === 'transfer-not-found') throw new NotFound('transfer-not-found', message);
      if (problem === 'reason-required') throw new HttpException({ error: 'invalid-request', message, errors: [{ path: '/reason', reason: message }] }, HttpStatus.BAD_REQUEST);
      throw new TransferConflict({ problem, message, ...detail });
    });
  }

  meetItem(transferId: string, itemId: string, idempotency?: IdempotentRequest): Promise<CommandResult> {
    return this.run(transferId, idempotency, (ctx) => {
      const outcome = meetChecklistItem(ctx.state, transferId, itemId, this.packs.forAuthority(ctx.authority)!);
      if (outcome.ok) return outcome.decisions;
      throw new NotFound(outcome.problem, outcome.message);
    });
  }

  /**
   * Reads, decides and appends at the version read (a concurrent action makes it run again, judged
   * afresh); with an Idempotency-Key, a retry gets the first answer back (recordOnce).
   */
  private run(transferId: string, idempotency: IdempotentRequest | undefined, decide: (ctx: TransferContext) => Decision[]): Promise<CommandResult> {
    // Each request is its own cause; the key, not the decision ids, makes a retry harmless.
    const commandId = `cmd-${randomUUID()}`;
    return recordOnce(
      this.store,
      idempotency,
      transferId,
      async () => {
        const ctx = await this.load(transferId);
        return {
          authority: ctx.authority,
          decide: () => {
            const decisions = decide(ctx);
            const cause = { eventId: commandId, metadata: { kind: 'decision' as const, authority: ctx.authority, childId: ctx.childId, ...(ctx.familyId ? { familyId: ctx.familyId } : {}), occurredAt: this.clock.now() } };
            const events = decisionEvents(decisions, cause, this.clock.now());
            return { streamId: ctx.streamId, events, expectedVersion: ctx.currentVersion, result: resultAfter(ctx, transferId, events) };
          },
        };
      },
      (events) => {
        if (events.length) this.wake.emit('appended');
        for (const e of events) this.logger.log({ eventId: e.eventId, decision: e.type }, 'decision recorded');
      },
    );
  }

  private async load(transferId: string): Promise<TransferContext> {
    const streamId = await this.store.findTransferStream(transferId);
    if (!streamId) throw new NotFound('transfer-not-found', `no transfer ${transferId}`);
    const { events, currentVersion } = await this.store.readStream(streamId);
    const { authority, childId, familyId } = (events[0] as StoredEvent).metadata;
    const last = [...events].reverse().find((e) => e.metadata.familyId)?.metadata.familyId ?? familyId;
    return { streamId, authority, childId, ...(last ? { familyId: last } : {}), state: childStateOf(events, authority, childId), currentVersion };
  }
}

/** The transfer as it stands once the new decisions are recorded (they follow everything already on the stream). */
function resultAfter(ctx: TransferContext, transferId: string, events: NewEvent[]): CommandResult {
  const state = events.reduce(
    (s, e) => evolve(s, { kind: 'decision', eventId: e.eventId, decidedAt: e.metadata.occurredAt, causationId: String(e.metadata.causationId), decision: decisionOf(e) }),
    ctx.state,
  );
  const transfer = state.transfers.find((t) => t.transferId === transferId)!;
  return { transferId, status: transfer.status, allowedActions: allowedActions(state, transfer), recorded: events.map((e) => ({ eventId: e.eventId, type: e.type })) };
}
