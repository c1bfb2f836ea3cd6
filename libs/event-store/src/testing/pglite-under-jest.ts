import * as vm from 'node:vm';

/**
 * PGlite starts by running `await import('node:module')` (and 'fs/promises') from inside its
 * CommonJS bundle. Jest runs CommonJS in a vm context and can only serve a dynamic import() there
 * when Node was started with --experimental-vm-modules (electric-sql/pglite#224); without it the
 * import is refused inside a promise PGlite never handles, and the unhandled rejection ends the
 * whole Jest process, not just the spec. Call this from a spec before opening PGlite and fail with
 * the returned explanation instead. (Jest decides the same way: vm.SyntheticModule exists only
 * under that flag.)
 */
export function whyPgliteCannotStartUnderJest(): string | undefined {
  if (typeof (vm as { SyntheticModule?: unknown }).SyntheticModule === 'function') return undefined;
  return (
    'PGlite cannot start under Jest unless Node runs with --experimental-vm-modules ' +
    '(electric-sql/pglite#224). Run: NODE_OPTIONS=--experimental-vm-modules npx jest …'
  );
}
