import { changedRows, foldReadModels, keysTouchedBy, type ProjectedEvent } from './fold';
import { childKey, emptyRows, type ReadModelRows } from './rows';
import { decision, fact, proposed } from './testing-events';

const amy = { authority: 'demo', childId: 'C-1' };
const ben = { authority: 'demo', childId: 'C-2' };

const fold = (events: ProjectedEvent[], rows: ReadModelRows = emptyRows()) => foldReadModels(rows, events);

describe('reporting projection: transfers and children', () => {
  it('records a proposal as an open transfer, counted on the child', () => {
    const rows = fold([fact('WorkerAllocated', amy, '2026-05-01T09:00:00+01:00', { team: 'A&I', workerId: 'W-1' }), proposed(amy, '2026-05-01T10:00:00Z', 'T-1')]);
    expect(rows.transfers.get('T-1')).toMatchObject({
      status: 'proposed',
      fromTeam: 'A&I',
      toTeam: 'FSP',
      proposedOn: '2026-05-01',
      dueBy: '2026-05-18',
      completedOn: null,
      closedOn: null,
      closedReason: null,
      closedCitation: null,
    });
    expect(rows.children.get(childKey('demo', 'C-1'))).toMatchObject({ currentTeam: 'A&I', transfers: 1, openTransfers: 1, completedTransfers: 0, closedDaysOnTransfer: 0 });
  });

  it('takes the proposal date in Europe/London: 23:30 UTC on 1 June is 2 June', () => {
    expect(fold([proposed(amy, '2026-06-01T23:30:00Z', 'T-1')]).transfers.get('T-1')!.proposedOn).toBe('2026-06-02');
  });

  it('completes a transfer: the child moves team, and the days from proposal to completion are added', () => {
    const rows = fold([
      proposed(amy, '2026-05-01T10:00:00Z', 'T-1'),
      decision('TransferAccepted', amy, '2026-05-05T10:00:00Z', { transferId: 'T-1' }),
      decision('TransferCompleted', amy, '2026-05-11T10:00:00Z', { transferId: 'T-1', toTeam: 'FSP', completedOn: '2026-05-11' }),
    ]);
    expect(rows.transfers.get('T-1')).toMatchObject({ status: 'completed', completedOn: '2026-05-11', closedOn: '2026-05-11', completedAt: '2026-05-11T10:00:00Z' });
    expect(rows.children.get(childKey('demo', 'C-1'))).toMatchObject({ currentTeam: 'FSP', openTransfers: 0, completedTransfers: 1, closedDaysOnTransfer: 10 });
  });

  it('closes a rejected or withdrawn transfer without moving the child, counting its days, saying why and citing it', () => {
    const rows = fold([
      fact('WorkerAllocated', ben, '2026-05-01T09:00:00Z', { team: 'A&I', workerId: 'W-1' }),
      proposed(ben, '2026-05-01T10:00:00Z', 'T-2'),
      decision('TransferRejected', ben, '2026-05-04T10:00:00Z', { transferId: 'T-2', reason: 'not yet' }),
      proposed(ben, '2026-05-06T10:00:00Z', 'T-3'),
      // A pack deadline missed: the withdrawal cites the deadline, not the proposing rule.
      decision('TransferWithdrawn', ben, '2026-05-08T10:00:00Z', {
        transferId: 'T-3',
        reason: 'lapsed: referral to the disability team (not actioned by 2026-05-07)',
        citation: '004 CFF 14',
        lapsed: { deadlineId: 'referral-lapses', dueBy: '2026-05-07' },
      }),
    ]);
    expect(rows.transfers.get('T-2')).toMatchObject({ status: 'rejected', closedOn: '2026-05-04', completedOn: null, closedReason: 'not yet', closedCitation: '000_c0d212b149d080fa.txt ¶12' });
    expect(rows.transfers.get('T-3')).toMatchObject({
      status: 'withdrawn',
      closedOn: '2026-05-08',
      closedReason: 'lapsed: referral to the disability team (not actioned by 2026-05-07)',
      closedCitation: '004 CFF 14',
    });
    expect(rows.children.get(childKey('demo', 'C-2'))).toMatchObject({ currentTeam: 'A&I', transfers: 2, openTransfers: 0, completedTransfers: 0, closedDaysOnTransfer: 5 });
  });

  it('ignores a transition out of a closed transfer, so nothing is counted twice', () => {
    const completed = decision('TransferCompleted', amy, '2026-05-11T10:00:00Z', { transferId: 'T-1', toTeam: 'FSP', completedOn: '2026-05-11' });
    const once = fold([proposed(amy, '2026-05-01T10:00:00Z', 'T-1'), completed]);
    const again = fold([{ ...completed, eventId: 'other' }, decision('TransferWithdrawn', amy, '2026-05-12T10:00:00Z', { transferId: 'T-1', reason: 'x' })], once);
    expect(again.children.get(childKey('demo', 'C-1'))).toEqual(once.children.get(childKey('demo', 'C-1')));
    expect(again.transfers.get('T-1')).toEqual(once.transfers.get('T-1'));
  });

  it('withdraws a completed transfer a late fact superseded, keeping the move (README "Deciding")', () => {
    const rows = fold([
      proposed(amy, '2026-05-01T10:00:00Z', 'T-1'),
      decision('TransferCompleted', amy, '2026-05-11T10:00:00Z', { transferId: 'T-1', toTeam: 'FSP', completedOn: '2026-05-11' }),
      decision('TransferWithdrawn', amy, '2026-05-20T10:00:00Z', {
        transferId: 'T-1',
        reason: 'superseded-by-late-fact',
        supersededBy: [{ eventId: 'late', type: 'WorkerAllocated', occurredOn: '2026-04-20' }],
      }),
    ]);
    expect(rows.transfers.get('T-1')).toMatchObject({ status: 'withdrawn', completedOn: '2026-05-11', closedReason: 'superseded-by-late-fact' });
    expect(rows.children.get(childKey('demo', 'C-1'))).toMatchObject({ currentTeam: 'FSP', completedTransfers: 0, openTransfers: 0 });
  });

  it('follows disputes and reschedules, and a closed case leaves the child with no team', () => {
    const rows = fold([
      fact('WorkerAllocated', amy, '2026-05-01T09:00:00Z', { team: 'A&I', workerId: 'W-1' }),
      proposed(amy, '2026-05-01T10:00:00Z', 'T-1'),
      decision('TransferRescheduled', amy, '2026-05-02T10:00:00Z', {
        transferId: 'T-1',
        previousDueBy: '2026-05-18',
        dueBy: '2026-05-12',
        handoverPoint: { description: 'icg', basis: 'meeting', steps: [] },
      }),
      decision('TransferDisputed', amy, '2026-05-03T10:00:00Z', { transferId: 'T-1', reason: 'capacity' }),
      fact('CaseClosed', amy, '2026-05-20T10:00:00Z', {}),
    ]);
    expect(rows.transfers.get('T-1')).toMatchObject({ status: 'disputed', dueBy: '2026-05-12' });
    expect(rows.children.get(childKey('demo', 'C-1'))!.currentTeam).toBeNull();
  });

  it('a fact that is not a decision never touches transfers (TransferDisputed is both a fact and a decision type)', () => {
    const rows = fold([proposed(amy, '2026-05-01T10:00:00Z', 'T-1'), fact('TransferDisputed', amy, '2026-05-02T10:00:00Z', { transferId: 'T-1', reason: 'x' })]);
    expect(rows.transfers.get('T-1')!.status).toBe('proposed');
  });
});

describe('reporting projection: escalations and checklists', () => {
  it('keeps one row per escalation as it climbs, first raised when first raised, with whom its current rung told, then resolved', () => {
    const raised = (rung: number, at: string, alsoTold?: string[]) =>
      decision('EscalationRaised', amy, at, {
        escalationId: 'E-1',
        transferId: 'T-1',
        rung,
        role: `rung ${rung}`,
        reason: 'disputed',
        dueBy: '2026-05-08',
        ruleId: 'escalation-disputed',
        ...(alsoTold ? { alsoTold } : {}),
      });
    const second = fold([raised(2, '2026-05-07T09:00:00Z', ['Independent Reviewing Officer'])]);
    expect(second.escalations.get('E-1')).toMatchObject({ rung: 2, alsoTold: ['Independent Reviewing Officer'] });
    // The rung it climbs to told nobody else: the row says so, not what the rung below told.
    const rows = fold([raised(3, '2026-05-11T09:00:00Z')], second);
    expect(rows.escalations.get('E-1')).toMatchObject({
      rung: 3,
      role: 'rung 3',
      alsoTold: [],
      raisedAt: '2026-05-07T09:00:00Z',
      status: 'open',
      resolvedAt: null,
      ruleId: 'escalation-disputed',
    });
    const resolved = fold([decision('EscalationResolved', amy, '2026-05-12T09:00:00Z', { escalationId: 'E-1', resolution: 'accepted' })], rows);
    expect(resolved.escalations.get('E-1')).toMatchObject({ status: 'resolved', resolvedAt: '2026-05-12T09:00:00Z', resolution: 'accepted', rung: 3 });
  });

  it('opens a checklist, marks items met and completes it', () => {
    const opened = decision('ChecklistOpened', amy, '2026-05-01T10:00:00Z', {
      transferId: 'T-1',
      checklistId: 'K-1',
      gating: 'blocking',
      items: [
        { itemId: 'a', description: 'chronology', dueBy: '2026-05-05' },
        { itemId: 'b', description: 'plan', dueBy: null, citation: '002 ¶3' },
      ],
    });
    const rows = fold([
      opened,
      decision('ChecklistItemMet', amy, '2026-05-02T10:00:00Z', { transferId: 'T-1', checklistId: 'K-1', itemId: 'a' }),
      decision('ChecklistCompleted', amy, '2026-05-03T10:00:00Z', { transferId: 'T-1', checklistId: 'K-1' }),
    ]);
    expect(rows.checklists.get('K-1')).toMatchObject({
      gating: 'blocking',
      completed: true,
      items: [
        { itemId: 'a', met: true, dueBy: '2026-05-05' },
        { itemId: 'b', met: false, citation: '002 ¶3' },
      ],
    });
  });
});

describe('reporting projection: a rescheduled handover point', () => {
  it('re-dates the checklist items that follow it, and names the checklist among the rows it touches', () => {
    const opened = decision('ChecklistOpened', amy, '2026-05-01T10:00:00Z', {
      transferId: 'T-1',
      checklistId: 'K-1',
      gating: 'non-blocking-escalate',
      items: [
        { itemId: 'a', description: 'chronology', dueBy: null },
        { itemId: 'b', description: 'visit', dueBy: '2026-05-11' },
      ],
    });
    const rescheduled = decision('TransferRescheduled', amy, '2026-05-05T10:00:00Z', {
      transferId: 'T-1',
      previousDueBy: null,
      dueBy: '2026-05-14',
      handoverPoint: { description: 'core group', basis: 'meeting', steps: [] },
      checklist: { checklistId: 'K-1', items: [{ itemId: 'a', dueBy: '2026-05-14' }] },
    });
    expect([...keysTouchedBy([rescheduled]).checklistIds]).toEqual(['K-1']);
    const rows = fold([proposed(amy, '2026-05-01T10:00:00Z', 'T-1'), opened, rescheduled]);
    expect(rows.transfers.get('T-1')!.dueBy).toBe('2026-05-14');
    expect(rows.checklists.get('K-1')!.items.map((i) => [i.itemId, i.dueBy])).toEqual([
      ['a', '2026-05-14'],
      ['b', '2026-05-11'],
    ]);
  });
});

describe('what a batch reads and writes', () => {
  it('names the rows each event may touch', () => {
    const keys = keysTouchedBy([
      proposed(amy, '2026-05-01T10:00:00Z', 'T-1'),
      decision('EscalationResolved', ben, '2026-05-12T09:00:00Z', { escalationId: 'E-1', resolution: 'x' }),
      decision('ChecklistItemMet', ben, '2026-05-02T10:00:00Z', { transferId: 'T-1', checklistId: 'K-1', itemId: 'a' }),
      fact('ICPCHeld', ben, '2026-05-01T10:00:00Z', { outcome: 'cp-plan' }),
    ]);
    expect([...keys.transferIds]).toEqual(['T-1']);
    expect([...keys.escalationIds]).toEqual(['E-1']);
    expect([...keys.checklistIds]).toEqual(['K-1']);
    expect([...keys.children.values()]).toEqual([amy]);
  });

  it('writes back only the rows that changed, and leaves its input untouched', () => {
    const before = fold([proposed(amy, '2026-05-01T10:00:00Z', 'T-1'), proposed(ben, '2026-05-01T10:00:00Z', 'T-2')]);
    const snapshot = JSON.stringify([...before.transfers]);
    const after = fold([decision('TransferAccepted', amy, '2026-05-05T10:00:00Z', { transferId: 'T-1' })], before);
    const changed = changedRows(before, after);
    expect([...changed.transfers.keys()]).toEqual(['T-1']);
    expect(changed.children.size).toBe(0);
    expect(JSON.stringify([...before.transfers])).toBe(snapshot);
  });
});
