/**
 * What an importer of a statutory return gives back: the return read, checked and mapped to the
 * project's case events, child by child, with every refusal located in its file. Nothing here
 * writes anywhere; the import command (services/cli/src/import-cli.ts) decides what to do with it.
 *
 * A refused child is refused whole: if any of a child's records is refused, none of that child's
 * events are in `children`, so a child is never imported half-way (issue 17, item 6).
 */
import type { CaseEvent, LocalDate } from '@cto/domain';

/** Where a value was read: a CSV file and line, an XML file and element path, a JSON file and pointer. */
export interface SourceLocation {
  file: string;
  /** 1-based line in a CSV file (the header row is line 1). */
  line?: number;
  /** An XML element path (`/Message/Children/Child[3]/Episodes/Episode[2]`) or a JSON pointer (`/children/4/social_care_episodes/0`). */
  path?: string;
  /** The column, element or property the refusal is about, when it is about one. */
  field?: string;
}

export interface Refusal extends SourceLocation {
  /** The child the refused record belongs to, when it can be told: nothing of that child is imported. */
  childId?: string;
  /** In words, for the person fixing the return: what is wrong and what was expected. */
  reason: string;
}

/**
 * Where the child stands at the end of the return, in the terms the import needs to give the child
 * a holding team (the returns name no teams): the kind of involvement, since when, and the code it
 * was read from.
 */
export interface CurrentInvolvement {
  kind: 'looked-after' | 'care-leaver' | 'child-protection' | 'child-in-need' | 'assessment' | 'referral' | 'closed';
  since: LocalDate;
  /** The return's own code (a legal status such as C2, a CIN plan, …), for the report. */
  code?: string;
}

export interface ImportedChild {
  childId: string;
  /**
   * The child's case events, in the order they happened (ties in the order the return gives them).
   * Event ids derive from (source, child, record, field) only, so importing the same return twice
   * records nothing twice.
   */
  events: CaseEvent[];
  current?: CurrentInvolvement;
  /** What the mapping had to assume for this child, in words ("care plan at reviews not in the return: recorded as other"). */
  assumptions: string[];
}

export interface MappedCaseload {
  source: 'ssda903' | 'csc-api';
  authority: string;
  /** Every child the return names, refused or not. */
  childrenRead: number;
  /** The children imported: every record of theirs was accepted. */
  children: ImportedChild[];
  refusals: Refusal[];
  /** Children with at least one refused record, sorted. */
  refusedChildren: string[];
}
