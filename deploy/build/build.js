/**
 * `npm run build`: every library and service compiled to CommonJS with SWC (the `.swcrc` Jest
 * uses, so decorators carry the same metadata as under test), into `dist/`, which mirrors the
 * repository: `libs/runtime/src/config.ts` → `dist/libs/runtime/src/config.js`.
 *
 * Why a mirror with two links. Some modules find files relative to their own directory:
 * `resolve(__dirname, '../../../policies')` (libs/runtime, libs/policy-packs),
 * `'../../../contracts/events'` (libs/contracts), `'../../../../contracts/imports'`
 * (libs/statutory-returns), the repository root (services/cli openapi). From
 * `dist/libs/runtime/src` those land on `dist/`, so `dist/policies` and `dist/contracts` are links
 * to the repository's own folders: the compiled code reads the very files the sources read (edit a
 * pack, restart, and it is in force, as before), and nothing is copied that could go stale.
 * Imports between files stay relative and the tree is mirrored, so they hold; the `@cto/*` aliases
 * are rewritten by SWC (`jsc.baseUrl` + `jsc.paths` from tsconfig.base.json) into relative
 * requires. Files under a project's `src/` that are not TypeScript (the dashboard's page, script
 * and stylesheet, read beside `dashboard.controller`) are copied. Specs are not compiled.
 *
 * Never half a build: a whole build is written to `dist.partial-<pid>` and renamed into place,
 * under a lock (`dist.lock`, holding the builder's pid), so two `npm start`s or two test processes
 * that both find the build stale build once, one after the other, and no process ever requires from
 * a half-written tree. `dist/.build-stamp` is given the time the build *started*: a source saved
 * during a build is newer than it, so the next start builds again.
 *
 *   node deploy/build/build.js                 everything (npm run build)
 *   node deploy/build/build.js --if-stale      only when dist/ is missing or older than a source (npm start)
 *   node deploy/build/build.js --project NAME  one Nx project into dist/<its root> (npx nx build NAME)
 *   node deploy/build/build.js --out-dir DIR   somewhere else than dist/ (inside the repository, so
 *                                              node_modules is found; the tests build to tmp/)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
/** What is compiled, and what a build is checked against. */
const SOURCE_DIRS = ['libs', 'services'];
/** Besides the sources, what changes the output. */
const BUILD_INPUTS = ['tsconfig.base.json', '.swcrc', path.relative(ROOT, __filename)];
/** Folders reached from compiled code by `__dirname`-relative paths: linked, not copied. */
const LINKED = ['contracts', 'policies'];
const STAMP = '.build-stamp';
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

/** Every file and folder under dir (folders too: deleting a file changes its folder's mtime). */
function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    yield { full, entry };
    if (entry.isDirectory()) yield* walk(full);
  }
}

/**
 * Why `outDir` needs building, or undefined when it is current: its stamp is missing, or some file
 * or folder under libs/ or services/ (or a build input) changed after the last build started.
 */
function staleness(outDir = DIST) {
  let built;
  try {
    built = fs.statSync(path.join(outDir, STAMP)).mtimeMs;
  } catch {
    return 'no build yet';
  }
  const newer = (file) => fs.statSync(file).mtimeMs > built;
  for (const input of BUILD_INPUTS) if (newer(path.join(ROOT, input))) return `${input} changed since the last build`;
  for (const dir of SOURCE_DIRS) {
    const root = path.join(ROOT, dir);
    if (newer(root)) return `${dir}/ changed since the last build`;
    for (const { full } of walk(root)) if (newer(full)) return `${path.relative(ROOT, full)} changed since the last build`;
  }
  return undefined;
}

/** The Nx projects under libs/ and services/: name and source root, from their project.json. */
function projects() {
  return SOURCE_DIRS.flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(ROOT, dir, e.name, 'project.json')))
      .map((e) => {
        const project = JSON.parse(fs.readFileSync(path.join(ROOT, dir, e.name, 'project.json'), 'utf8'));
        return { name: project.name, root: path.join(dir, e.name), sourceRoot: project.sourceRoot ?? path.join(dir, e.name, 'src') };
      }),
  );
}

/** The `.swcrc` Jest uses, with the tsconfig path aliases and separate source maps. */
function swcOptions() {
  const swcrc = JSON.parse(fs.readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8'));
  return {
    ...swcrc,
    swcrc: false,
    jsc: { ...swcrc.jsc, baseUrl: path.resolve(ROOT, compilerOptions.baseUrl ?? '.'), paths: compilerOptions.paths },
    // Maps point at the .ts files (in the repository and the image) rather than carrying them.
    sourceMaps: true,
    inlineSourcesContent: false,
  };
}

/**
 * Compiles the source roots into `into` (which stands for `finalDir`: source map paths are
 * relative to where the files will end up). SWC's async API runs on libuv's thread pool, so the
 * files compile on every core.
 */
async function compile(sourceRoots, into, finalDir) {
  const swc = require('@swc/core');
  const options = swcOptions();
  const jobs = [];
  for (const sourceRoot of sourceRoots) {
    for (const { full, entry } of walk(path.join(ROOT, sourceRoot))) {
      if (!entry.isFile()) continue;
      const relative = path.relative(ROOT, full);
      const target = path.join(into, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (!full.endsWith('.ts')) {
        fs.copyFileSync(full, target);
      } else if (!full.endsWith('.spec.ts') && !full.endsWith('.d.ts')) {
        const js = target.replace(/\.ts$/, '.js');
        const sourceFileName = path.relative(path.dirname(path.join(finalDir, relative)), full);
        jobs.push(
          swc.transformFile(full, { ...options, filename: full, sourceFileName }).then(({ code, map }) => {
            fs.writeFileSync(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
            fs.writeFileSync(`${js}.map`, map);
          }),
        );
      }
    }
  }
  await Promise.all(jobs);
  return jobs.length;
}

/** `outDir/contracts` → `../contracts` (relative, so a moved checkout keeps working). */
function link(outDir, into) {
  for (const folder of LINKED) {
    const at = path.join(into, folder);
    if (fs.existsSync(at)) continue;
    // 'junction' is what Windows allows without privileges; elsewhere the type is ignored.
    fs.symlinkSync(path.relative(outDir, path.join(ROOT, folder)), at, 'junction');
  }
}

/** Puts `from` where `to` is, replacing it; `to` is missing only between the two renames. */
function replaceDir(from, to) {
  const old = `${to}.old-${process.pid}`;
  for (let attempt = 1; ; attempt++) {
    fs.rmSync(old, { recursive: true, force: true });
    try {
      fs.renameSync(to, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      fs.renameSync(from, to);
      break;
    } catch (error) {
      // Another build put its tree there between the two renames (only if the lock was lost): again.
      if (!['ENOTEMPTY', 'EEXIST', 'EPERM'].includes(error.code) || attempt === 3) throw error;
    }
  }
  fs.rmSync(old, { recursive: true, force: true });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/**
 * Runs `work` holding `<outDir>.lock`. The lock file is created whole, with this pid in it, by a
 * hard link (which fails if the name exists); a lock whose process is gone is taken over.
 */
async function withLock(outDir, work, { waitMs = 300000 } = {}) {
  const lock = `${outDir}.lock`;
  const mine = `${lock}.${process.pid}`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  fs.writeFileSync(mine, String(process.pid));
  const until = Date.now() + waitMs;
  try {
    for (;;) {
      try {
        fs.linkSync(mine, lock);
        break;
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
      }
      let holder;
      try {
        holder = Number(fs.readFileSync(lock, 'utf8'));
      } catch (error) {
        if (error.code === 'ENOENT') continue; // released just now
        throw error;
      }
      if (!(holder > 0) || !alive(holder)) {
        // Its builder died. Moved aside and read again rather than deleted: when two waiters saw it
        // and the first has already taken the lock, the second has moved a live lock, and puts it back.
        const aside = `${lock}.stale-${process.pid}`;
        try {
          fs.renameSync(lock, aside);
        } catch (error) {
          if (error.code === 'ENOENT') continue;
          throw error;
        }
        if (Number(fs.readFileSync(aside, 'utf8')) !== holder) fs.linkSync(aside, lock);
        fs.rmSync(aside, { force: true });
        continue;
      }
      if (Date.now() > until) throw new Error(`${path.relative(ROOT, lock)}: another build (pid ${holder}) has held it for ${waitMs / 1000} s`);
      await sleep(100);
    }
  } finally {
    fs.rmSync(mine, { force: true });
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** A whole build of every project into outDir, replacing what is there. Returns the file count. */
async function buildAll(outDir = DIST) {
  const started = new Date();
  const partial = `${outDir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    fs.mkdirSync(partial, { recursive: true });
    const files = await compile(projects().map((p) => p.sourceRoot), partial, outDir);
    link(outDir, partial);
    const stamp = path.join(partial, STAMP);
    fs.writeFileSync(stamp, `${JSON.stringify({ started: started.toISOString(), files, node: process.version, swc: require('@swc/core/package.json').version })}\n`);
    fs.utimesSync(stamp, started, started);
    replaceDir(partial, outDir);
    return files;
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** One project into outDir/<its root> (the Nx target); leaves the stamp alone. */
async function buildProject(name, outDir = DIST) {
  const project = projects().find((p) => p.name === name);
  if (!project) throw new Error(`no project named ${name} under ${SOURCE_DIRS.join(' or ')}/`);
  const partial = `${outDir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    const files = await compile([project.sourceRoot], partial, outDir);
    fs.mkdirSync(outDir, { recursive: true });
    link(outDir, outDir);
    fs.mkdirSync(path.dirname(path.join(outDir, project.root)), { recursive: true });
    replaceDir(path.join(partial, project.root), path.join(outDir, project.root));
    return files;
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
}

async function main(argv) {
  const { values } = require('node:util').parseArgs({
    args: argv,
    options: { 'if-stale': { type: 'boolean' }, project: { type: 'string' }, 'out-dir': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write('usage: node deploy/build/build.js [--if-stale] [--project NAME] [--out-dir DIR]\n');
    return;
  }
  const outDir = path.resolve(values['out-dir'] ?? DIST);
  const shown = path.relative(process.cwd(), outDir) || '.';
  const t0 = process.hrtime.bigint();
  const seconds = () => (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1);
  await withLock(outDir, async () => {
    if (values.project) {
      const files = await buildProject(values.project, outDir);
      process.stdout.write(`built ${values.project}: ${files} files into ${shown} in ${seconds()} s\n`);
      return;
    }
    // Checked again under the lock: whoever held it may just have built.
    const why = values['if-stale'] ? staleness(outDir) : 'asked to';
    if (!why) return;
    const files = await buildAll(outDir);
    process.stdout.write(`built ${shown}/ (${why}): ${files} files in ${seconds()} s\n`);
  });
}

module.exports = { ROOT, DIST, staleness, buildAll, buildProject, projects };

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`build failed: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}
