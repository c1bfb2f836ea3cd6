export { run as runPolicyCli } from './policy-cli';
