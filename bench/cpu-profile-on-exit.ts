/**
 * Preloaded into a benchmark's child process to profile it (`BENCH_CHILD_NODE_OPTIONS="-r
 * ./bench/cpu-profile-on-exit.ts"`, with BENCH_CPU_PROFILE_DIR): node refuses --cpu-prof in
 * NODE_OPTIONS, so this starts V8's sampling profiler through the inspector at load and writes a
 * `.cpuprofile` (Chrome DevTools' format, the one --cpu-prof writes) when the process exits.
 * Nothing else of the process changes.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
let written = false;
// The inspector answers inside post() for an in-process session, so the profile can be taken on
// 'exit', where nothing asynchronous runs any more; and on SIGTERM, because Nest's shutdown hook
// ends the process by raising the signal again, which emits no 'exit'.
function writeProfile(): void {
  if (written) return;
  written = true;
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
}
process.on('exit', writeProfile);
process.on('SIGTERM', writeProfile);
