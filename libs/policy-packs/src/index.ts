// Policy packs: YAML read and checked against policies/policy-pack.schema.json, returned as the
// domain's PolicyPack, and the registry of packs in force by authority.
export {
  checkPolicyPack,
  DEFAULT_POLICIES_DIR,
  DEFAULT_SOURCES_DIR,
  sourceDocumentsIn,
  type CheckOptions,
  type SourceDocuments,
  loadPolicyPackFile,
  loadPolicyPacks,
  parsePolicyPack,
  policyPackFiles,
  type PolicyPackCheck,
} from './load-policy-pack';
export { PolicyPackInvalid, formatProblem, type PolicyPackProblem } from './policy-pack-invalid';
export { POLICY_PACK_SCHEMA_FILE } from './policy-pack-schema';
export { AuthorityClaimedTwice, PackIdUsedTwice, PackRegistry } from './pack-registry';
export { main, EXIT_OK, EXIT_INVALID, EXIT_USAGE, type CliOutput } from './cli';
export { COVERAGE_FILE, renderCoverage } from './coverage';
