/**
 * A stored history to backtest pack versions against (issue 16: "npm run policy -- backtest run
 * between each old and new version"): the benchmark's generated caseload (every authority's
 * journey, cut at a random stage, with noise), written as recorded facts into an embedded store.
 * Backtest replays facts only, so no decisions are written.
 *
 *   node -r @swc-node/register bench/backtest-corpus.ts <dataDir> [children=2000] [seed=16]
 * (the store is written where the system's DATA_DIR keeps it: <dataDir>/pglite)
 *   DATA_DIR=<dataDir> npm run policy -- backtest kent --from-version 1.3.0 --to-version 1.4.0
 *
 * The journeys exercise each pack's main route, not every rule, so beside them are a few children
 * per authority whose histories reach the paragraphs issue 16 changed (CHANGED_PARAGRAPHS below):
 * a version change shows on them first. The scenario files show each rule firing and held back;
 * this shows what a version change does to a caseload.
 */
import { join } from 'node:path';
import { childStreamId, type CaseEvent, type CaseEventDataByType, type CaseEventType } from '@cto/domain';
import { factEvent, openPgliteEventStore } from '@cto/event-store';
import { generateChildren, type GeneratedChild } from '@cto/testing';

type Fact = { [T in CaseEventType]: [T, string, CaseEventDataByType[T]] }[CaseEventType];

/** A child of `authority` (in `familyId`, when given) whose facts are `[type, date, data]`. */
function child(authority: string, childId: string, facts: Fact[], familyId?: string): GeneratedChild {
  const events = facts.map(
    ([type, on, data], i): CaseEvent => ({ eventId: `${childId}-e${i}`, type, authority, childId, ...(familyId ? { familyId } : {}), occurredAt: `${on}T10:00:00Z`, source: 'backtest', data }) as CaseEvent,
  );
  return { authority, childId, ...(familyId ? { familyId } : {}), events };
}

/** Children whose histories reach the paragraphs issue 16 changed, one or two per change. */
const CHANGED_PARAGRAPHS: GeneratedChild[] = [
  // 000 ¶1: siblings held by A&I, one of them at an ICPC.
  child('demo', 'chg-000-1a', [['WorkerAllocated', '2026-01-05', { team: 'A&I', workerId: 'W' }], ['ICPCHeld', '2026-03-02', { outcome: 'cp-plan' }]], 'chg-000-F1'),
  child('demo', 'chg-000-1b', [['WorkerAllocated', '2026-01-05', { team: 'A&I', workerId: 'W' }], ['ICPCHeld', '2026-03-09', { outcome: 'cp-plan' }]], 'chg-000-F1'),
  // 001 §3 MASH: a decision naming Safeguarding.
  child('protocol-2023', 'chg-001-mash', [['ReferralReceived', '2026-03-02', { referralSource: 'police' }], ['ThresholdDecisionMade', '2026-03-03', { decision: 'statutory-assessment', team: 'Safeguarding' }]]),
  // 003 §6: an interim CAO against the LA's care plan; siblings in proceedings, one accommodated.
  child('kent', 'chg-003-interim', [['WorkerAllocated', '2026-01-05', { team: 'CSWT', workerId: 'W' }], ['OrderMade', '2026-03-02', { order: 'interim-CAO', localAuthorityPosition: 'child-should-be-in-care' }]]),
  child('kent', 'chg-003-sib-a', [['WorkerAllocated', '2026-01-05', { team: 'CSWT', workerId: 'W' }], ['ChildAccommodated', '2026-02-16', { legalBasis: 's20' }], ['CareProceedingsIssued', '2026-03-09', {}]], 'chg-003-F1'),
  child('kent', 'chg-003-sib-b', [['WorkerAllocated', '2026-01-05', { team: 'CSWT', workerId: 'W' }], ['CareProceedingsIssued', '2026-03-09', {}]], 'chg-003-F1'),
  // 004 PTC 1-2: the 2nd LAC review agrees long-term fostering in proceedings, then the final care order.
  child('southampton', 'chg-004-ptc', [
    ['WorkerAllocated', '2025-10-06', { team: 'SWF', workerId: 'W' }],
    ['CareProceedingsIssued', '2025-10-13', {}],
    ['ChildAccommodated', '2025-10-13', { legalBasis: 'ICO' }],
    ['CLAReviewHeld', '2025-11-10', { sequence: 1, plan: 'long-term-fostering' }],
    ['CLAReviewHeld', '2026-02-09', { sequence: 2, plan: 'long-term-fostering' }],
    ['OrderMade', '2026-04-13', { order: 'care-order' }],
  ]),
  // 004 Trajectory Model 3 and PTC 9: the front door names SWF; a qualifying care leaver.
  child('southampton', 'chg-004-front-door', [['ReferralReceived', '2026-03-02', { referralSource: 'school' }], ['ThresholdDecisionMade', '2026-03-03', { decision: 'statutory-assessment', team: 'SWF' }]]),
  child('southampton', 'chg-004-qualifying', [['ChildDetailsRecorded', '2026-03-01', { careLeaverStatus: 'qualifying' }], ['ReferralReceived', '2026-03-02', { referralSource: 'self' }]]),
];

async function main(): Promise<void> {
  const [dataDir, childrenArg = '2000', seedArg = '16'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: bench/backtest-corpus.ts <dataDir> [children] [seed]');
  const store = await openPgliteEventStore({ dataDir: join(dataDir, 'pglite') });
  try {
    const children = [
      ...generateChildren({ children: Number(childrenArg), seed: Number(seedArg), prefix: 'bt' }),
      ...generateChildren({ children: Math.ceil(Number(childrenArg) / 4), seed: Number(seedArg) + 1, prefix: 'btc', complete: true }),
      ...CHANGED_PARAGRAPHS,
    ];
    for (const child of children) {
      await store.appendToStream(childStreamId(child.authority, child.childId), child.events.map(factEvent), { expectedVersion: 'no-stream' });
    }
    process.stdout.write(`${children.length} children written to ${dataDir}\n`);
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
