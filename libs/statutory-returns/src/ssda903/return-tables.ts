/**
 * The return as read, before any of it is checked: the same four tables whether it came as CSV
 * files or as one XML document, each record with the place it was read from. The readers
 * (read-csv.ts, read-xml.ts) make this; the mapping (map-return.ts) checks and maps it.
 */
import type { Refusal } from '../caseload';
import type { Ssda903Table } from './mapping';

export interface ReturnRecord {
  file: string;
  /** 1-based line of the record in a CSV file (the header row is line 1). */
  line?: number;
  /** The record's element in an XML file: `/EXPSSDA903/CHILD[3]/EPISODE[2]`. */
  path?: string;
  /**
   * Values by the CSV column name (XML elements renamed to their column: CHILDID → CHILD), as
   * written; undefined when the file has no such column or element.
   */
  values: Readonly<Record<string, string | undefined>>;
  /** The file's own name for a column, where it differs (the XML's CHILDID, PL). */
  names?: Readonly<Record<string, string>>;
  /** What was wrong with the record's shape, found while reading (an XML element given twice). */
  problems?: readonly { field: string; reason: string }[];
}

export interface ReturnTables {
  records: Record<Ssda903Table, ReturnRecord[]>;
  /** Refusals of whole files: not the return, unreadable, a column missing. */
  fileRefusals: Refusal[];
  /** Some file is not the return or cannot be read: nothing of the return is used. */
  unreadable: boolean;
  /** A table lacks a column the mapping reads: no child can be imported whole. */
  columnMissing: boolean;
}

export const emptyTables = (): Record<Ssda903Table, ReturnRecord[]> => ({ Header: [], Episodes: [], Reviews: [], UASC: [] });

/** The return could not be read at all: these refusals say why, and there is nothing else. */
export const unreadableReturn = (refusals: Refusal[]): ReturnTables => ({
  records: emptyTables(),
  fileRefusals: refusals,
  unreadable: true,
  columnMissing: false,
});
