/**
 * The CSV form of the return: one file per table (Header, Episodes, and optionally Reviews and
 * UASC), each with a header row of column names. Strings in; the records with their lines out.
 *
 * Line numbers: csv-parse reports the line a record ends on. A quoted value may hold line breaks,
 * so the record starts that many lines earlier; line endings are made "\n" first so that a file
 * written on Windows counts the same.
 */
import { parse } from 'csv-parse/sync';
import type { Refusal } from '../caseload';
import { SSDA903_TABLES, type Ssda903Mapping, type Ssda903Table } from './mapping';
import { emptyTables, unreadableReturn, type ReturnRecord, type ReturnTables } from './return-tables';

/** A file of the return: its name (for refusals) and its text. */
export interface ReturnFile {
  file: string;
  text: string;
}

export type Ssda903CsvFiles = { header: ReturnFile; episodes: ReturnFile; reviews?: ReturnFile; uasc?: ReturnFile };

const TABLE_OF_INPUT: Record<keyof Ssda903CsvFiles, Ssda903Table> = { header: 'Header', episodes: 'Episodes', reviews: 'Reviews', uasc: 'UASC' };

export function readCsvTables(files: Ssda903CsvFiles, mapping: Ssda903Mapping): ReturnTables {
  const records = emptyTables();
  const fileRefusals: Refusal[] = [];
  let columnMissing = false;
  const unreadable: Refusal[] = [];
  for (const [input, table] of Object.entries(TABLE_OF_INPUT) as [keyof Ssda903CsvFiles, Ssda903Table][]) {
    const file = files[input];
    if (file === undefined) continue;
    const read = readTable(file, table, mapping);
    if ('refusal' in read) {
      unreadable.push(read.refusal);
      continue;
    }
    records[table] = read.records;
    fileRefusals.push(...read.missing);
    columnMissing ||= read.missing.length > 0;
  }
  // One file that is not the return (or cannot be read) stops the import: which of the other
  // files' records belong with which children cannot be trusted.
  if (unreadable.length > 0) return unreadableReturn(unreadable);
  return { records, fileRefusals, unreadable: false, columnMissing };
}

type TableRead = { refusal: Refusal } | { records: ReturnRecord[]; missing: Refusal[] };

function readTable({ file, text }: ReturnFile, table: Ssda903Table, mapping: Ssda903Mapping): TableRead {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each row comes as { record, info }; the typings do not follow the option.
    rows = parse(text.replace(/\r\n?/g, '\n'), { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    const reason = `the file cannot be read as CSV: ${(error as Error).message}`;
    return { refusal: typeof line === 'number' ? { file, line, reason } : { file, reason } };
  }
  const expected = mapping.tables[table];
  if (rows.length === 0) {
    return { refusal: { file, reason: `the file is empty: the SSDA903 ${table} table starts with a row naming its columns (${expected.columns.join(', ')})` } };
  }
  const columns = rows[0].record.map((name) => name.trim().toUpperCase());
  const notTheTable = notTheTableReason(columns, table, mapping);
  if (notTheTable !== undefined) return { refusal: { file, reason: notTheTable } };

  const missing = expected.required
    .filter((column) => !columns.includes(column))
    .map((column) => ({
      file,
      field: column,
      reason: `the ${table} table has no ${column} column, which the mapping reads: no child's ${table} records can be read whole, so every child of the return is refused`,
    }));
  const records = rows
    .slice(1)
    .filter(({ record }) => record.some((value) => value.trim() !== ''))
    .map(({ record, info }): ReturnRecord => {
      const breaksInside = record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
      const values: Record<string, string | undefined> = {};
      columns.forEach((column, i) => {
        if (!(column in values)) values[column] = record[i] ?? '';
      });
      return { file, line: info.lines - breaksInside, values };
    });
  return { records, missing };
}

/**
 * Why a file given as `table` is not that table of the return, or undefined when it may be: its
 * first row names none of the table's columns, or exactly another table's (the validator tells the
 * tables apart by their set of columns: [V] lac_validator/ingress.py, read_csvs_from_text).
 */
function notTheTableReason(columns: string[], table: Ssda903Table, mapping: Ssda903Mapping): string | undefined {
  const expected = mapping.tables[table].columns;
  if (!columns.some((column) => expected.includes(column))) {
    return `the file is not the SSDA903 ${table} table: its first row names none of the table's columns (${expected.join(', ')})`;
  }
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((c) => b.includes(c));
  const present = [...new Set(columns)];
  if (sameSet(present, expected)) return undefined;
  const other = SSDA903_TABLES.find((t) => t !== table && sameSet(present, mapping.tables[t].columns));
  return other === undefined ? undefined : `the file is the SSDA903 ${other} table (it has exactly that table's columns), given as the ${table} table`;
}
