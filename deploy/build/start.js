/**
 * `npm start`: the compiled embedded app (dist/services/embedded/src/main.js), built first when
 * dist/ is missing or older than any source under libs/ or services/ (build.js `staleness`: a walk
 * of file times, a few milliseconds). So `npm install && npm start` on a fresh clone builds once and
 * starts, and a start after a `git pull` or an edit runs what is in the sources, never a stale build.
 *
 * The build runs in a child process, so this one never loads the compiler; the app then runs in
 * this process, as `node dist/services/embedded/src/main.js` would.
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
