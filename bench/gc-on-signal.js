/**
 * Preloaded into the memory benchmark's child process (`--expose-gc -r ./bench/gc-on-signal.js`):
 * SIGWINCH (ignored by default, and not one of Nest's shutdown signals) runs a full garbage
 * collection, so RSS can be read after one, from outside. Nothing else of the process changes.
 *
 * Plain JavaScript, not TypeScript: the process is the compiled app (`dist/…/main.js`, what
 * `npm start` runs), started without a TypeScript loader, and Node 20 cannot require a `.ts` file
 * on its own; preloading `@swc-node/register` for one line would put the compiler back into the
 * process whose memory is measured.
 */
'use strict';
process.on('SIGWINCH', () => globalThis.gc?.());
