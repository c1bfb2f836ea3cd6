// SSDA903 (the DfE's children looked after return) read into case events (issue 17 items 1, 3, 6).
export { readSsda903Csv, readSsda903Xml, type Ssda903CsvInput, type Ssda903XmlInput } from './read-return';
export type { ReturnFile } from './read-csv';
export {
  loadSsda903Mapping,
  Ssda903MappingInvalid,
  SSDA903_MAPPING_SCHEMA,
  type MappingProblem,
  type Ssda903Mapping,
} from './mapping';
export { DEFAULT_SSDA903_MAPPING_FILE, readSsda903MappingFile } from './default-mapping';
export { AuthorityInvalid, ssda903EventId } from './map-return';
