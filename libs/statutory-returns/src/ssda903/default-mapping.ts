/**
 * The one place the SSDA903 importer touches the file system: reading the repository's mapping
 * (contracts/imports/ssda903.mapping.yaml). Everything else takes the mapping as a value.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSsda903Mapping, type Ssda903Mapping } from './mapping';

export const DEFAULT_SSDA903_MAPPING_FILE = path.resolve(__dirname, '../../../../contracts/imports/ssda903.mapping.yaml');

/** Reads and checks a mapping file (the repository's by default); throws `Ssda903MappingInvalid`. */
export function readSsda903MappingFile(file: string = DEFAULT_SSDA903_MAPPING_FILE): Ssda903Mapping {
  return loadSsda903Mapping(fs.readFileSync(file, 'utf8'), file);
}
