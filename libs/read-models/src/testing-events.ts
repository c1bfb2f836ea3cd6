/**
 * Builders of stored-event envelopes for the read-model specs (unit and integration). Imported by
 * specs only; src/index.ts does not export it.
 */
import type { DecisionDataByType, DecisionType } from '@cto/domain';
import type { NewEvent } from '@cto/event-store';

let seq = 0;

const ref = { ruleVersion: 1, packId: 'internal-transfer-v11', packVersion: '1.0.0', citation: '000_c0d212b149d080fa.txt ¶12' };

export function decision<T extends DecisionType>(
  type: T,
  child: { authority: string; childId: string },
  at: string,
  data: Omit<DecisionDataByType[T], 'ruleVersion' | 'packId' | 'packVersion' | 'citation' | 'ruleId'> & { ruleId?: string; citation?: string },
): NewEvent {
  return {
    eventId: `d-${++seq}-${type}`,
    type,
    data: { ...ref, ruleId: 'child-protection-plan-to-fsp', ...data },
    metadata: { kind: 'decision', authority: child.authority, childId: child.childId, occurredAt: at, causationId: `cause-${seq}` },
  };
}

export function fact(type: string, child: { authority: string; childId: string }, at: string, data: object): NewEvent {
  return { eventId: `f-${++seq}-${type}`, type, data, metadata: { kind: 'fact', authority: child.authority, childId: child.childId, occurredAt: at, source: 'lcs' } };
}

export const proposed = (child: { authority: string; childId: string }, at: string, transferId: string, over: Partial<DecisionDataByType['TransferProposed']> = {}) =>
  decision('TransferProposed', child, at, {
    transferId,
    fromTeam: 'A&I',
    toTeam: 'FSP',
    trigger: { eventId: 'ev', type: 'ICPCHeld', occurredOn: at.slice(0, 10) },
    handoverPoint: { description: 'initial core group', basis: 'timescale', steps: [] },
    dueBy: '2026-05-18',
    explanation: [],
    ...over,
  });
