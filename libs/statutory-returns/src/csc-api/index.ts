// The DfE CSC API children payload importer (issue 17): read, check and map a payload into case events.
export { readCscApiPayload, CscApiAuthorityInvalid, type ReadCscApiPayloadInput } from './read-csc-api-payload';
export { loadCscApiMapping, CscApiMappingInvalid, type CscApiMapping } from './mapping';
export { compileCscApiPayloadSchema, CscApiPayloadSchemaInvalid, type CscApiPayloadSchema } from './payload';
export { cscApiEventId, CSC_API_SOURCE } from './map-child';
export { loadCscApiContracts, DEFAULT_CSC_API_CONTRACTS_DIR, CSC_API_SCHEMA_FILE, CSC_API_MAPPING_FILE } from './default-contracts';
