/**
 * The repository's own CSC API contracts, read from disk: the one place this importer touches the
 * file system, kept apart from the pure reader (readCscApiPayload takes what this returns).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCscApiMapping, type CscApiMapping } from './mapping';
import { compileCscApiPayloadSchema, CscApiPayloadSchemaInvalid, type CscApiPayloadSchema } from './payload';

/** contracts/imports in this repository, found from this source file. */
export const DEFAULT_CSC_API_CONTRACTS_DIR = path.resolve(__dirname, '../../../../contracts/imports');
export const CSC_API_SCHEMA_FILE = 'csc-api-children.schema.json';
export const CSC_API_MAPPING_FILE = 'csc-api.mapping.yaml';

/** Reads and compiles the payload schema and the mapping; throws their `…Invalid` errors. */
export function loadCscApiContracts(dir: string = DEFAULT_CSC_API_CONTRACTS_DIR): { schema: CscApiPayloadSchema; mapping: CscApiMapping } {
  let schemaJson: unknown;
  try {
    schemaJson = JSON.parse(fs.readFileSync(path.join(dir, CSC_API_SCHEMA_FILE), 'utf8'));
  } catch (error) {
    throw new CscApiPayloadSchemaInvalid(`${CSC_API_SCHEMA_FILE}: ${(error as Error).message}`);
  }
  return {
    schema: compileCscApiPayloadSchema(schemaJson),
    mapping: loadCscApiMapping(fs.readFileSync(path.join(dir, CSC_API_MAPPING_FILE), 'utf8')),
  };
}
