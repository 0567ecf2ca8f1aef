// Runs Node's own async_hooks / AsyncLocalStorage / AsyncResource tests,
// unmodified, against otel-async-context/hooks: `require('async_hooks')` (and
// 'node:async_hooks') from a test file or its test/common resolves to our
// built module, on each engine and on each Node line. Not part of CI.
//
//   node scripts/node-core-tests.mjs --node-src DIR [--lines 20,22,24,26] [--engines native,hooks]
//                                    [--only PATTERN] [--reference] [--json FILE] [--no-build]
//   node scripts/node-core-tests.mjs --fetch v20.x --fetch v24.x ...
//
// DIR is a copy of Node's repository (or of its test/ folder's parents) that
// holds test/common and the test files; several --node-src may be given (one
// per Node branch). --fetch BRANCH clones Node's repository at that branch
// (depth 1, test/ only) into a temporary directory instead; the project never
// contains Node's test files. --reference runs the same files against
// node:async_hooks too, so that a failure of ours can be told from one the
// running Node has itself. Prints one line per file x line x engine and a
// summary; exits 0 (it is a report, not a gate).
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, relative } from 'node:path';
import { nodeBinary } from './node-binary.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const take = (flag) => {
  const out = [];
  for (let i = args.indexOf(flag); i >= 0; i = args.indexOf(flag)) out.push(...args.splice(i, 2).slice(1));
  return out;
};
const sources = take('--node-src');
const fetches = take('--fetch');
const lines = (take('--lines')[0] ?? '20,22,24,26').split(',');
const engines = (take('--engines')[0] ?? 'native,hooks').split(',');
const only = take('--only')[0];
const jsonOut = take('--json')[0];
const reference = args.includes('--reference');
const build = !args.includes('--no-build');

/** The test files of Node that exercise the async_hooks module. */
const PATTERNS = [
  [join('test', 'async-hooks'), /^test-.*\.js$/],
  [join('test', 'parallel'), /^test-(async|als-).*\.js$/],
];

for (const branch of fetches) {
  const dir = mkdtempSync(join(tmpdir(), `node-tests-${branch}-`));
  execFileSync('git', ['clone', '--depth', '1', '--branch', branch, '--filter=blob:none', '--sparse',
    'https://github.com/nodejs/node.git', dir], { stdio: 'inherit' });
  execFileSync('git', ['-C', dir, 'sparse-checkout', 'set', 'test/common', 'test/async-hooks', 'test/parallel', 'test/fixtures'], { stdio: 'inherit' });
  sources.push(dir);
}
if (sources.length === 0) {
  console.error('give --node-src DIR (a copy of Node\'s repository with test/) or --fetch BRANCH');
  process.exit(2);
}

if (build) execFileSync(process.execPath, ['scripts/build.mjs', '--no-types'], { cwd: ROOT, stdio: 'inherit' });
const work = mkdtempSync(join(tmpdir(), 'node-core-tests-'));
const preload = join(work, 'resolve-async-hooks-to-ours.cjs');
writeFileSync(preload, `'use strict';
// Makes require('async_hooks') from Node's test files return otel-async-context/hooks.
const Module = require('module');
const ours = ${JSON.stringify(join(ROOT, 'dist', 'cjs', 'hooks', 'index.js'))};
const ownDir = ${JSON.stringify(join(ROOT, 'dist') + '/')};
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if ((request === 'async_hooks' || request === 'node:async_hooks') && !(parent && parent.filename && parent.filename.startsWith(ownDir))) {
    return ours;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
`);

/** Whether `bin` accepts `flag` (newer tests name flags that older lines lack, e.g. --allow-async-hooks). */
const accepted = new Map();
function accepts(bin, flag) {
  const key = `${bin} ${flag}`;
  if (!accepted.has(key)) accepted.set(key, spawnSync(bin, [flag, '-e', '0']).status === 0);
  return accepted.get(key);
}

/** The test's `// Flags:` that the running Node accepts. */
function flagsOf(bin, file) {
  const head = readFileSync(file, 'utf8').slice(0, 1500);
  const m = /\/\/ Flags: (.*)/.exec(head);
  return m ? m[1].trim().split(/\s+/).filter((flag) => accepts(bin, flag)) : [];
}

function runOne(bin, file, engine, cwd, withOurs) {
  const r = spawnSync(bin, [...(withOurs ? ['--require', preload] : []), ...flagsOf(bin, file), file], {
    cwd, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: '', OTEL_ASYNC_CONTEXT_ENGINE: engine, NODE_SKIP_FLAG_CHECK: '1', NODE_TEST_KNOWN_GLOBALS: '0' },
  });
  const ok = r.status === 0 && r.signal === null;
  const skipped = ok && /^1\.\.0 # Skipped/m.test(r.stdout);
  const why = ok ? '' : (r.error?.message ?? `${r.signal ?? r.status}: ${(r.stderr || r.stdout).split('\n').filter((l) => /Error|assert|expected|actual|Mismatched|must/i.test(l)).slice(0, 3).join(' | ').slice(0, 300)}`);
  return { ok, skipped, why };
}

const results = [];
for (const source of sources) {
  const files = PATTERNS.flatMap(([dir, re]) => {
    const full = join(source, dir);
    return existsSync(full) ? readdirSync(full).filter((f) => re.test(f)).map((f) => join(full, f)) : [];
  }).filter((f) => !only || f.includes(only)).sort();
  for (const line of lines) {
    const bin = nodeBinary(line);
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    for (const file of files) {
      const name = relative(source, file);
      const ref = reference ? runOne(bin, file, '', source, false) : undefined;
      for (const engine of engines) {
        const r = runOne(bin, file, engine, source, true);
        const row = { source, node: version, engine, file: name, pass: r.ok, skipped: r.skipped, reference: ref?.ok, why: r.why };
        results.push(row);
        console.log(`${r.ok ? (r.skipped ? 'skip' : 'pass') : 'FAIL'} ${version} ${engine.padEnd(6)} ${name}${ref && !ref.ok ? ' (fails on node:async_hooks too)' : ''}${r.ok ? '' : `  ${r.why}`}`);
      }
    }
  }
}
const failed = results.filter((r) => !r.pass);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2) + '\n');
