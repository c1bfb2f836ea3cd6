/**
 * The reporting read models (libs/read-models projects into them) and the SQL views a BI tool
 * reads. Everything here can be rebuilt from the events (`npm run db:rebuild-read-models`), so
 * these tables may be emptied at will; the events table may not.
 *
 * Dates are business dates in Europe/London (as everywhere in the system); instants are
 * timestamptz. "Today" in the views is London's date now, not the session's `current_date`, so a
 * BI session in UTC sees the same overdue rows as the API at 00:30 on a summer morning.
 */

const transfersTable = `
CREATE TABLE rm_transfers (
  transfer_id     text        PRIMARY KEY,
  authority       text        NOT NULL,
  child_id        text        NOT NULL,
  status          text        NOT NULL,
  from_team       text        NOT NULL,
  to_team         text        NOT NULL,
  rule_id         text        NOT NULL,
  citation        text        NOT NULL,
  pack_id         text        NOT NULL,
  pack_version    text        NOT NULL,
  proposed_at     timestamptz NOT NULL,
  -- The business date of the proposal: the from/to filters and "days on transfer" count from it.
  proposed_on     date        NOT NULL,
  due_by          date,
  completed_at    timestamptz,
  -- The date the receiving team took the child (TransferCompleted.completedOn).
  completed_on    date,
  -- The date it stopped being open: completed_on, or the date it was rejected or withdrawn.
  closed_on       date,
  last_changed_at timestamptz NOT NULL
)`;

// GET /v1/transfers pages an authority's transfers newest first (keyset on proposed_at, transfer_id).
const transfersPageIndex = `CREATE INDEX rm_transfers_page ON rm_transfers (authority, proposed_at DESC, transfer_id DESC)`;

const escalationsTable = `
CREATE TABLE rm_escalations (
  escalation_id   text        PRIMARY KEY,
  authority       text        NOT NULL,
  child_id        text        NOT NULL,
  transfer_id     text,
  reason          text        NOT NULL,
  rung            integer     NOT NULL,
  role            text        NOT NULL,
  due_by          date,
  about           text,
  rule_id         text        NOT NULL,
  citation        text        NOT NULL,
  raised_at       timestamptz NOT NULL,
  status          text        NOT NULL CHECK (status IN ('open', 'resolved')),
  resolved_at     timestamptz,
  resolution      text,
  last_changed_at timestamptz NOT NULL
)`;

const escalationsByAuthorityIndex = `CREATE INDEX rm_escalations_authority ON rm_escalations (authority, status, raised_at)`;

const checklistsTable = `
CREATE TABLE rm_checklists (
  checklist_id    text        PRIMARY KEY,
  transfer_id     text        NOT NULL,
  authority       text        NOT NULL,
  child_id        text        NOT NULL,
  gating          text        NOT NULL,
  -- [{ itemId, description, dueBy, met, citation? }], in the order the checklist lists them.
  items           jsonb       NOT NULL,
  completed       boolean     NOT NULL,
  opened_at       timestamptz NOT NULL,
  last_changed_at timestamptz NOT NULL
)`;

const checklistsByTransferIndex = `CREATE INDEX rm_checklists_transfer ON rm_checklists (transfer_id)`;

const childrenTable = `
CREATE TABLE rm_children (
  authority               text        NOT NULL,
  child_id                text        NOT NULL,
  current_team            text,
  transfers               integer     NOT NULL,
  completed_transfers     integer     NOT NULL,
  open_transfers          integer     NOT NULL,
  -- Calendar days from proposal to completion or closure, summed over the child's closed transfers.
  -- Open transfers count up to today in v_children_on_transfer, so this table never goes stale.
  closed_days_on_transfer integer     NOT NULL,
  last_changed_at         timestamptz NOT NULL,
  PRIMARY KEY (authority, child_id)
)`;

const OPEN = `status IN ('proposed', 'accepted', 'disputed')`;
const TODAY = `(now() AT TIME ZONE 'Europe/London')::date`;

const transfersView = `
CREATE VIEW v_transfers AS
SELECT transfer_id, authority, child_id, status, from_team, to_team, rule_id, citation, pack_id, pack_version,
       proposed_at, proposed_on, due_by, completed_at, completed_on, closed_on,
       ${OPEN} AS open,
       (${OPEN} AND due_by < ${TODAY}) AS overdue,
       coalesce(closed_on, ${TODAY}) - proposed_on AS days_on_transfer
  FROM rm_transfers`;

const escalationsView = `
CREATE VIEW v_escalations AS
SELECT escalation_id, authority, child_id, transfer_id, reason, rung, role, due_by, about, rule_id, citation,
       raised_at, status, resolved_at, resolution,
       (status = 'open' AND due_by < ${TODAY}) AS overdue
  FROM rm_escalations`;

const checklistsView = `
CREATE VIEW v_checklists AS
SELECT c.checklist_id, c.transfer_id, c.authority, c.child_id, c.gating, c.completed, c.opened_at,
       i.items_total, i.items_met, i.items_overdue, i.next_due_by
  FROM rm_checklists c
  CROSS JOIN LATERAL (
    SELECT count(*)::integer AS items_total,
           count(*) FILTER (WHERE (item->>'met')::boolean)::integer AS items_met,
           count(*) FILTER (WHERE NOT (item->>'met')::boolean AND (item->>'dueBy')::date < ${TODAY})::integer AS items_overdue,
           min((item->>'dueBy')::date) FILTER (WHERE NOT (item->>'met')::boolean) AS next_due_by
      FROM jsonb_array_elements(c.items) AS item
  ) i`;

const childrenView = `
CREATE VIEW v_children_on_transfer AS
SELECT ch.authority, ch.child_id, ch.current_team, ch.transfers, ch.completed_transfers, ch.open_transfers,
       ch.open_transfers > 0 AS on_transfer,
       ch.closed_days_on_transfer + coalesce(o.open_days, 0) AS days_on_transfer
  FROM rm_children ch
  LEFT JOIN (
    SELECT authority, child_id, sum(${TODAY} - proposed_on)::integer AS open_days
      FROM rm_transfers
     WHERE ${OPEN}
     GROUP BY authority, child_id
  ) o ON o.authority = ch.authority AND o.child_id = ch.child_id`;

export const READ_MODEL_STATEMENTS: readonly string[] = [
  transfersTable,
  transfersPageIndex,
  escalationsTable,
  escalationsByAuthorityIndex,
  checklistsTable,
  checklistsByTransferIndex,
  childrenTable,
  transfersView,
  escalationsView,
  checklistsView,
  childrenView,
];

/**
 * Migration 11: who else each escalation's rung told (`EscalationRaised.alsoTold`, the rung's
 * `alsoTell`: e.g. 003 §4's Child Protection Chair or IRO "kept updated"), so the ladder's reader
 * sees everyone the procedure brought in, not only the role it sits with. Rows already projected
 * are filled from the latest EscalationRaised of their escalation, as the fold would have filled
 * them (by the events_escalation_raised index); the view gains the column at its end, the only
 * place CREATE OR REPLACE VIEW lets a column be added.
 */
export const ESCALATION_ALSO_TOLD_STATEMENTS: readonly string[] = [
  `ALTER TABLE rm_escalations ADD COLUMN also_told jsonb NOT NULL DEFAULT '[]'::jsonb`,
  `UPDATE rm_escalations r
      SET also_told = coalesce((SELECT e.data->'alsoTold'
                                  FROM events e
                                 WHERE e.type = 'EscalationRaised' AND e.data->>'escalationId' = r.escalation_id
                                 ORDER BY e.global_position DESC
                                 LIMIT 1), '[]'::jsonb)`,
  `
CREATE OR REPLACE VIEW v_escalations AS
SELECT escalation_id, authority, child_id, transfer_id, reason, rung, role, due_by, about, rule_id, citation,
       raised_at, status, resolved_at, resolution,
       (status = 'open' AND due_by < ${TODAY}) AS overdue,
       also_told
  FROM rm_escalations`,
];

/**
 * Migration 12: why each transfer closed without completing, and the paragraph that says so — a
 * rejection's reason, or a withdrawal's (a manager's, a late fact's, a handover point that will not
 * come, a pack deadline missed: 004 CFF 14's referral that "will lapse and need to be
 * represented"). Rows already projected are filled from the decision that closed them, as the fold
 * takes it: the first TransferRejected of a rejected transfer, the first TransferWithdrawn of a
 * withdrawn one (a later one finds it closed and changes nothing). One pass over those decisions
 * (DISTINCT ON), not a look-up per row: TransferRejected and TransferWithdrawn have no index by
 * transfer.
 */
export const TRANSFER_CLOSED_REASON_STATEMENTS: readonly string[] = [
  `ALTER TABLE rm_transfers ADD COLUMN closed_reason text, ADD COLUMN closed_citation text`,
  `UPDATE rm_transfers r
      SET closed_reason = c.reason, closed_citation = c.citation
     FROM (SELECT DISTINCT ON (e.type, e.data->>'transferId')
                  e.type, e.data->>'transferId' AS transfer_id, e.data->>'reason' AS reason, e.data->>'citation' AS citation
             FROM events e
            WHERE e.type IN ('TransferRejected', 'TransferWithdrawn') AND e.metadata->>'kind' = 'decision'
            ORDER BY e.type, e.data->>'transferId', e.global_position) c
    WHERE c.transfer_id = r.transfer_id
      AND c.type = CASE r.status WHEN 'rejected' THEN 'TransferRejected' WHEN 'withdrawn' THEN 'TransferWithdrawn' END`,
  `
CREATE OR REPLACE VIEW v_transfers AS
SELECT transfer_id, authority, child_id, status, from_team, to_team, rule_id, citation, pack_id, pack_version,
       proposed_at, proposed_on, due_by, completed_at, completed_on, closed_on,
       ${OPEN} AS open,
       (${OPEN} AND due_by < ${TODAY}) AS overdue,
       coalesce(closed_on, ${TODAY}) - proposed_on AS days_on_transfer,
       closed_reason, closed_citation
  FROM rm_transfers`,
];

