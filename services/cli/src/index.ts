export { run as runPolicyCli } from './policy-cli';
export { generateOpenApiJson, OPENAPI_FILE } from './openapi-document';
