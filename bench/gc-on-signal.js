/**
 * Preloaded into the memory benchmark's child process (`--expose-gc -r ./bench/gc-on-signal.js`):
 * SIGWINCH (ignored by default, and not one of Nest's shutdown signals) runs a full garbage
 * collection, so RSS can be read after one, from outside, and then writes one line to stderr,
 * `gc-on-signal {…}`, with what `process.memoryUsage()` says after it: the V8 heap (`heapUsed`,
 * `heapTotal`) and `external`, which holds PGlite's WebAssembly memory at its full size (resident
 * or not) — so the benchmark can say what each part costs. Nothing else of the process changes.
 *
 * Plain JavaScript, not TypeScript: the process is the compiled app (`dist/…/main.js`, what
 * `npm start` runs), started without a TypeScript loader, and Node 20 cannot require a `.ts` file
 * on its own; preloading `@swc-node/register` for one line would put the compiler back into the
 * process whose memory is measured.
 */
'use strict';
process.on('SIGWINCH', () => {
  globalThis.gc?.();
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`gc-on-signal ${JSON.stringify({ heapUsed, heapTotal, external, arrayBuffers })}\n`);
});
