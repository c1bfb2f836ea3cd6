/**
 * `npm run policy -- backtest <packId> --from-version A --to-version B [--json]`: replay every
 * child of the pack's authorities under two versions of the pack and report which proposals would
 * differ — added, removed, or changed in team, due date or rule — per child and in total. Nothing
 * is written to the store.
 *
 * A version is found among the pack in force (policies/) and the archived versions kept in
 * policies/history/ (one YAML per released version; the running system never loads them). A
 * draft not yet released can be named by file instead: --from-file / --to-file.
 */
import { backtestChild, compilePack, type ChildDifference, type ChildStreamEvent, type LocalDate, type PolicyPack } from '@cto/domain';
import { type EventStore, START_CHECKPOINT, type StoredEvent, toChildStreamEvent } from '@cto/event-store';
import { DEFAULT_POLICIES_DIR, loadPolicyPackFile, policyPackFiles } from '@cto/policy-packs';
import { prepareCaseload, type MappedCaseload, type TeamsFile } from '@cto/statutory-returns';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const HISTORY_DIR = join(DEFAULT_POLICIES_DIR, 'history');

export interface BacktestReport {
  packId: string;
  from: string;
  to: string;
  children: number;
  totals: { added: number; removed: number; changed: number };
  differences: ChildDifference[];
}

/** Every version of a pack this checkout knows: the one in force and the archived ones. */
export function knownVersions(packId: string, policiesDir = DEFAULT_POLICIES_DIR): PolicyPack[] {
  const history = join(policiesDir, 'history');
  const files = [...policyPackFiles(policiesDir), ...(existsSync(history) ? policyPackFiles(history) : [])];
  return files.map(loadPolicyPackFile).filter((p) => p.id === packId);
}

export function resolveVersion(packId: string, version: string | undefined, file: string | undefined, policiesDir?: string): PolicyPack {
  if (file) return loadPolicyPackFile(file);
  const versions = knownVersions(packId, policiesDir);
  if (!versions.length) throw new Error(`no policy pack ${packId} in ${policiesDir ?? DEFAULT_POLICIES_DIR}`);
  if (version === undefined) return versions[0];
  const found = versions.find((p) => p.version === version);
  if (!found) throw new Error(`pack ${packId} has no version ${version} here (known: ${versions.map((p) => p.version).join(', ')})`);
  return found;
}

export async function backtest(store: EventStore, from: PolicyPack, to: PolicyPack): Promise<BacktestReport> {
  const streams = new Map<string, StoredEvent[]>();
  for (let after = START_CHECKPOINT; ; ) {
    const { events, checkpoint } = await store.readAll({ after, limit: 1000 });
    if (!events.length) break;
    for (const e of events) {
      if (!from.authorities.includes(e.metadata.authority)) continue;
      streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
    }
    after = checkpoint;
  }
  const children = [...streams.values()].map((events) => {
    const ordered = [...events].sort((a, b) => a.streamVersion - b.streamVersion);
    const { authority, childId } = ordered[0].metadata;
    return { authority, childId, stream: ordered.map(toChildStreamEvent) };
  });
  return compareVersions(children, from, to);
}

/**
 * The same comparison over an authority's statutory return instead of the store (`--import`):
 * each child's facts as the import prepares them, nothing written. The holding team is the one
 * the older version gives (the authority's team today); the milestones passed are those of either
 * version, so a milestone only the newer version names is judged by it.
 */
export function backtestImport(
  read: MappedCaseload,
  from: PolicyPack,
  to: PolicyPack,
  options: { today: LocalDate; teams?: TeamsFile },
): BacktestReport & { refusedChildren: string[] } {
  const [before, after] = [prepareCaseload(read, compilePack(from), options), prepareCaseload(read, compilePack(to), options)];
  const milestonesAfter = new Map(after.children.map((c) => [c.childId, c.facts.filter((f) => f.type === 'BirthdayApproaching')]));
  const children = before.children.map((child) => {
    const known = new Set(child.facts.map((f) => f.eventId));
    const facts = [...child.facts, ...(milestonesAfter.get(child.childId) ?? []).filter((f) => !known.has(f.eventId))];
    const ordered = facts.map((fact, i) => ({ fact, i })).sort((a, b) => Date.parse(a.fact.occurredAt) - Date.parse(b.fact.occurredAt) || a.i - b.i);
    return { authority: read.authority, childId: child.childId, stream: ordered.map(({ fact }) => ({ kind: 'fact' as const, fact })) };
  });
  return { ...compareVersions(children, from, to), refusedChildren: before.refusedChildren };
}

function compareVersions(children: { authority: string; childId: string; stream: ChildStreamEvent[] }[], from: PolicyPack, to: PolicyPack): BacktestReport {
  const [compiledFrom, compiledTo] = [compilePack(from), compilePack(to)];
  const differences: ChildDifference[] = [];
  for (const { authority, childId, stream } of children) {
    const d = backtestChild(stream, compiledFrom, compiledTo, { authority, childId });
    if (d.added.length || d.removed.length || d.changed.length) differences.push(d);
  }
  const total = (k: 'added' | 'removed' | 'changed') => differences.reduce((n, d) => n + d[k].length, 0);
  return {
    packId: from.id,
    from: from.version,
    to: to.version,
    children: children.length,
    totals: { added: total('added'), removed: total('removed'), changed: total('changed') },
    differences,
  };
}

export function renderBacktest(r: BacktestReport): string[] {
  const lines = [`${r.packId} ${r.from} → ${r.to}: ${r.children} children replayed; ${r.totals.added} added, ${r.totals.removed} removed, ${r.totals.changed} changed`];
  if (!r.differences.length) return [...lines, 'no proposal would differ'];
  lines.push('', 'child | change | trigger | proposal before | proposal after');
  for (const d of r.differences) {
    const show = (p: { ruleId: string; fromTeam: string; toTeam: string; dueBy: string | null }) => `${p.fromTeam}→${p.toTeam} due ${p.dueBy ?? 'undated'} (${p.ruleId})`;
    for (const p of d.added) lines.push(`${d.childId} | added | ${p.triggerType} ${p.occurredOn} | — | ${show(p)}`);
    for (const p of d.removed) lines.push(`${d.childId} | removed | ${p.triggerType} ${p.occurredOn} | ${show(p)} | —`);
    for (const c of d.changed) lines.push(`${d.childId} | ${c.what.join(', ')} | ${c.from.triggerType} ${c.from.occurredOn} | ${show(c.from)} | ${show(c.to)}`);
  }
  return lines;
}
