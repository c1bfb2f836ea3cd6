/**
 * `npm start`: the compiled embedded app (dist/services/embedded/src/main.js), built first when
 * dist/ is missing or older than any source under libs/ or services/ (build.js `staleness`: a walk
 * of file times, a few milliseconds). So `npm install && npm start` on a fresh clone builds once and
 * starts, and a start after a `git pull` or an edit runs what is in the sources, never a stale build.
 *
 * The build runs in a child process, so this one never loads the compiler; the app then runs in
 * this process, as `node dist/services/embedded/src/main.js` would.
 *
 * V8's young generation is capped at 2 MB a semi-space by the command that runs this file,
 * `node --max-semi-space-size=2 deploy/build/start.js` (package.json `start`; the Dockerfile's CMD
 * passes the same flag to main.js). Node's default lets it grow to 16 MB a semi-space, 32 MB of
 * resident heap that an embedded process, idle most of the time, keeps after every burst of work
 * and that a forced GC does not hand back (issue 18 item 5; bench/README.md section 6: with kafkajs
 * and pg no longer loaded, 287 MB 3 s after the GC instead of 321), at the price of more frequent,
 * smaller scavenges. It is one of V8's heap-size options (`node --v8-options`), there for years
 * beside --max-old-space-size, so a user can rely on it or raise it. It cannot be set here: V8 sizes
 * its heap before this file runs, and `v8.setFlagsFromString('--max-semi-space-size=2')` from here
 * leaves the young generation free to grow to 32 MB all the same (tried); re-running the app in a
 * child with the flag would cost a second Node process (42 MB RSS) to save 32. MALLOC_ARENA_MAX,
 * which also has to be in the environment before the process starts, was measured and bought
 * nothing (bench/README.md section 6).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { ROOT, DIST, staleness } = require('./build');

const why = staleness();
if (why) {
  process.stderr.write(`building dist/ first (${why}) …\n`);
  // The builder's report goes to stderr too: stdout is the app's (its banner and, as JSON, its logs).
  const build = spawnSync(process.execPath, [path.join(__dirname, 'build.js'), '--if-stale'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    process.stderr.write(`npm start: the build failed (${build.error?.message ?? `exit ${build.status ?? build.signal}`}); nothing started\n`);
    process.exit(1);
  }
}
require(path.join(DIST, 'services/embedded/src/main.js'));
