/**
 * The SSDA903 importer's entry points: a return as strings in (CSV files or one XML document), the
 * mapped caseload out. Pure: the caller reads the files and the mapping (readSsda903MappingFile).
 */
import type { MappedCaseload } from '../caseload';
import { mapReturn } from './map-return';
import type { Ssda903Mapping } from './mapping';
import { readCsvTables, type ReturnFile } from './read-csv';
import { readXmlTables } from './read-xml';

export interface Ssda903CsvInput {
  /** The authority whose return it is: the events' `authority` (its policy pack and tenant). */
  authority: string;
  header: ReturnFile;
  episodes: ReturnFile;
  reviews?: ReturnFile;
  uasc?: ReturnFile;
}

export interface Ssda903XmlInput {
  authority: string;
  xml: ReturnFile;
}

/** The CSV form: one file per table; `file` is the name refusals give. */
export function readSsda903Csv(input: Ssda903CsvInput, mapping: Ssda903Mapping): MappedCaseload {
  const { authority, header, episodes, reviews, uasc } = input;
  return mapReturn(readCsvTables({ header, episodes, reviews, uasc }, mapping), authority, mapping);
}

/** The XML form: the whole return in one document. */
export function readSsda903Xml(input: Ssda903XmlInput, mapping: Ssda903Mapping): MappedCaseload {
  return mapReturn(readXmlTables(input.xml, mapping), input.authority, mapping);
}
