/**
 * Preloaded into the memory benchmark's child process (`-r bench/gc-on-signal.ts`, with
 * --expose-gc): SIGWINCH (ignored by default, and not one of Nest's shutdown signals) runs a full garbage collection, so RSS can be read after one, from outside.
 * Nothing else of the process changes.
 */
process.on('SIGWINCH', () => (globalThis as { gc?: () => void }).gc?.());
