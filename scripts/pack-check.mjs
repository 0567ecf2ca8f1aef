// Checks the package as a user gets it: packs it (`npm pack`, which builds
// through `prepack`), installs the tarball into a fresh app in a temporary
// folder outside the repository (everything else from the npm registry, one
// `npm install`), then runs against it:
//   - a CommonJS app and an ES module app (scripts/pack-check/*-app.*),
//   - a request served under `--require` and under `--import otel-async-context/register`,
//   - `tsc --noEmit` with TypeScript 7 (module nodenext, and module commonjs), with
//     TypeScript 5 and node10 resolution (typesVersions), and without @types/node
//     for the manager and engine entries,
//   - npm's peer-dependency resolution of the tarball alone and next to
//     @opentelemetry/api 1.9 (no warning allowed, one api copy, 1.9), and next to
//     api 1.10 (installed, one api copy, 1.10; npm's ERESOLVE "overriding peer
//     dependency" warnings for the 2.x SDK packages are the combination the README
//     names as the one that warns).
//   node scripts/pack-check.mjs [--keep]     (npm run pack-check)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'scripts', 'pack-check');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const keep = process.argv.includes('--keep');
// tmpfs when there is one: the app (about 250 MB with both compilers) is written and
// removed in seconds there, against a minute on a disk mounted with discard.
const work = mkdtempSync(join(isWritableDir('/dev/shm') ? '/dev/shm' : tmpdir(), 'otel-async-context-pack-'));
if (!relative(root, work).startsWith('..')) throw new Error(`the temporary folder ${work} is inside the repository`);

// Children see neither the repository's modules nor the caller's OTEL_* settings.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
  !name.startsWith('OTEL_') && !['NODE_PATH', 'NODE_OPTIONS', 'npm_config_prefix'].includes(name)));
const PEER_WARNING = /ERESOLVE|peer dep|invalid peer|conflicting peer/i;
let passed = 0;
let failed = 0;

function run(command, args, { cwd = work, extraEnv = {}, timeout = 240_000 } = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', output, seconds: (performance.now() - started) / 1000 };
}

function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n${detail.trimEnd().replace(/^/gm, '     ')}` : ''}`);
}

function step(name, command, args, options, expect = (r) => r.status === 0) {
  const r = run(command, args, options);
  const ok = expect(r);
  check(`${name} (${r.seconds.toFixed(1)} s)`, ok, ok ? '' : r.output.slice(-6000));
  return r;
}

function isWritableDir(path) {
  try {
    accessSync(path, constants.W_OK);
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The README's install command (first block of its Install section). */
function readmeDistributionCommand() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- section:install -->'), readme.indexOf('<!-- /section:install -->'));
  return ([...section.matchAll(/```sh\n([\s\S]*?)```/g)][0]?.[1] ?? '').trim();
}

/** The versions of @opentelemetry/api that an npm lock file installs, one per copy. */
function apiCopies(dir) {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/@opentelemetry/api')).map(([, entry]) => entry.version);
}

function app(dir, dependencies) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pack-check-app', private: true, dependencies }, null, 2) + '\n');
  return dir;
}

try {
  // 1. The tarball, as `npm publish` would make it.
  const packed = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, timeout: 300_000 });
  let files = [];
  let tarball = '';
  try {
    const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
    files = info.files.map((f) => f.path);
    tarball = join(work, info.filename);
  } catch {
    check('npm pack', false, packed.output.slice(-6000));
    throw new Error('npm pack failed');
  }
  const entryFiles = [pkg.main, pkg.types, ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))),
    ...Object.values(pkg.typesVersions['*']).flat()].map((f) => f.replace(/^\.\//, ''));
  const missing = [...new Set(['LICENSE', 'README.md', 'package.json', ...entryFiles])].filter((f) => !files.includes(f));
  check(`npm pack: ${files.length} files, every entry point, LICENSE (${packed.seconds.toFixed(1)} s)`, missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : '');

  // 2. Peer resolution, as npm prints it for the commands the README gives (lock only: no download).
  check('the README\'s install command is `npm install otel-async-context`', readmeDistributionCommand() === 'npm install otel-async-context',
    readmeDistributionCommand());
  for (const api of [null, '1.9']) {
    const dir = app(join(work, `peers-api-${api ?? 'default'}`), {});
    const r = step(`npm install <tarball>${api ? ` @opentelemetry/api@${api}` : ''}: no peer warning`, 'npm',
      ['install', '--package-lock-only', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...(api ? [`@opentelemetry/api@${api}`] : [])],
      { cwd: dir }, (r) => r.status === 0 && !PEER_WARNING.test(r.output));
    if (r.status === 0) {
      const copies = apiCopies(dir);
      check(`  one copy of @opentelemetry/api, 1.9.x (${copies.join(', ')})`, copies.length === 1 && copies[0].startsWith('1.9.'));
    }
  }
  const api110 = app(join(work, 'peers-api-1.10'), {});
  const r110 = step('npm install <tarball> @opentelemetry/api@1.10: installs; the 2.x SDK\'s peer range is overridden, as the README says', 'npm',
    ['install', '--package-lock-only', '--no-audit', '--no-fund', '--prefer-offline', tarball, '@opentelemetry/api@1.10'], { cwd: api110 },
    (r) => r.status === 0 && /ERESOLVE overriding peer dependency/.test(r.output));
  if (r110.status === 0) {
    const copies = apiCopies(api110);
    check(`  one copy of @opentelemetry/api, 1.10.x (${copies.join(', ')})`, copies.length === 1 && copies[0].startsWith('1.10.'));
  }

  // 3. One install for every app: the package (the README's command, from the tarball) and the compilers.
  const dir = app(join(work, 'app'), {
    'otel-async-context': `file:${tarball}`,
    typescript: pkg.devDependencies.typescript,
    typescript5: 'npm:typescript@~5.9.0',
    '@types/node': pkg.devDependencies['@types/node'],
  });
  const installed = step('npm install (tarball, as the README\'s command, + TypeScript 7 and 5): no peer warning',
    'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir }, (r) => r.status === 0 && !PEER_WARNING.test(r.output));
  if (installed.status !== 0) throw new Error('npm install failed');
  cpSync(fixtures, dir, { recursive: true });
  cpSync(join(dir, 'ts', 'app.ts'), join(dir, 'ts', 'app.mts'));

  // 4. The apps.
  step('CommonJS app (require)', process.execPath, ['cjs-app.cjs'], { cwd: dir });
  step('ES module app (import)', process.execPath, ['esm-app.mjs'], { cwd: dir });
  for (const [flag, file] of [['--require', 'served.cjs'], ['--import', 'served.mjs']]) {
    // The console tree goes to stderr: the distribution never writes to the app's stdout.
    step(`node ${flag} otel-async-context/register ${file}: the served request's trace is printed, stdout left to the app`, process.execPath,
      [flag, 'otel-async-context/register', file], { cwd: dir, extraEnv: { OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'pack-check' } },
      (r) => r.status === 0 && r.stdout === '' && /\[SERVER\]/.test(r.stderr) && /\[CLIENT\]/.test(r.stderr));
  }

  // 5. The declarations.
  const tsc7 = join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const tsc5 = join(dir, 'node_modules', 'typescript5', 'bin', 'tsc');
  const strict = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022' };
  const configs = [
    ['TypeScript 7, module nodenext (ESM and CommonJS files)', tsc7, { ...strict, module: 'nodenext', types: ['node'] }, ['ts/app.mts', 'ts/app.ts']],
    ['TypeScript 7, module commonjs', tsc7, { ...strict, module: 'commonjs', types: ['node'] }, ['ts/app.ts']],
    // Resolution is what this one checks (TypeScript 7 has no node10): skipLibCheck keeps it quick.
    ['TypeScript 5, module commonjs, node10 resolution (typesVersions)', tsc5, { ...strict, skipLibCheck: true, module: 'commonjs', moduleResolution: 'node10', types: ['node'] }, ['ts/app.ts']],
    // The default lib (ES2022 + DOM, whose `console` @opentelemetry/api's own declarations need).
    ['TypeScript 7, manager and engine entries without @types/node', tsc7, { ...strict, module: 'nodenext', types: [] }, ['ts/manager-only.ts']],
  ];
  for (const [name, tsc, compilerOptions, tsFiles] of configs) {
    const config = join(dir, `tsconfig.${configs.findIndex((c) => c[0] === name)}.json`);
    writeFileSync(config, JSON.stringify({ compilerOptions, files: tsFiles }, null, 2));
    step(`tsc --noEmit: ${name}`, process.execPath, [tsc, '--noEmit', '-p', config], { cwd: dir });
  }
} catch (error) {
  if (failed === 0) check(String(error?.message ?? error), false);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(`pack-check: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
