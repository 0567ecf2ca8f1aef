// Runs the benchmarks in bench/*.bench.mjs on the machine's Node and on
// Node 24, and rewrites docs/benchmarks.md with their tables.
//   npm run bench                  all benchmarks
//   npm run bench -- engine        only bench/engine.bench.mjs
//   npm run bench -- --lines 20,24 choose the Node lines (default: this one and 24)
//   npm run bench -- --callgrind   instruction counts instead of time (bench/callgrind/,
//                                  valgrind --tool=callgrind, node --single-threaded)
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { nodeBinary } from './node-binary.mjs';

const args = process.argv.slice(2);
const linesArg = args.indexOf('--lines');
const here = process.versions.node.split('.')[0];
const lines = linesArg >= 0 ? args.splice(linesArg, 2)[1].split(',') : [...new Set([here, '24'])];
const callgrind = args.includes('--callgrind');
const only = args.filter((a) => !a.startsWith('-'));

execFileSync(process.execPath, ['scripts/build.mjs', '--no-types'], { stdio: 'inherit' });
const resultsPath = 'docs/benchmarks.json';
const results = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
if (callgrind) {
  for (const line of lines) {
    const result = countInstructions(nodeBinary(line));
    results[result.id] ??= {};
    results[result.id][`v${line}`] = result;
    printTable(result, result.node);
  }
  writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
  writeFileSync('docs/benchmarks.md', render(results));
  console.error('wrote docs/benchmarks.md');
  process.exit(0);
}

const files = readdirSync('bench').filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => (only.length === 0 ? f !== 'soak.bench.mjs' /* minutes long: `npm run bench -- soak` */ : only.includes(f.replace('.bench.mjs', '')))).sort();
for (const file of files) {
  for (const line of lines) {
    const bin = nodeBinary(line);
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    console.error(`# ${file} on ${version}`);
    const out = execFileSync(bin, [join('bench', file)], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20,
      env: { ...process.env, PATH: `${join(bin, '..')}:${process.env.PATH}` },
    });
    // A bench prints one result per table, each a JSON line; the last lines are results.
    const tables = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => {
      try { return JSON.parse(l); } catch { return undefined; }
    }).filter((r) => typeof r?.id === 'string' && Array.isArray(r.rows));
    for (const result of tables) {
      results[result.id] ??= {};
      results[result.id][`v${line}`] = { ...result, node: version, date: new Date().toISOString().slice(0, 10) };
      printTable(result, version);
    }
  }
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');
writeFileSync('docs/benchmarks.md', render(results));
console.error('wrote docs/benchmarks.md');

/**
 * Instructions per operation, counted by callgrind: each scenario variant runs
 * under `valgrind --tool=callgrind` with `node --single-threaded` (no
 * concurrent compiler or GC threads; counts still move by a few percent from
 * run to run) at two
 * sizes; the difference divided by the difference in size is the cost of one
 * operation, free of start-up and of the machine's load.
 */
function countInstructions(bin) {
  const SMALL = 100_000;
  const LARGE = 300_000;
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  const count = (variant, n) => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null',
      bin, '--single-threaded', 'bench/callgrind/context-with.cjs', ...variant, String(n)], { encoding: 'utf8' });
    const collected = /Collected : (\d+)/.exec(r.stderr);
    if (r.status !== 0 || !collected) throw new Error(`callgrind ${variant.join(' ')} ${n}: ${r.stderr.slice(-2000)}`);
    return Number(collected[1]);
  };
  const perCall = (variant) => {
    console.error(`# callgrind ${variant.join(' ')} on ${version}`);
    return (count(variant, LARGE) - count(variant, SMALL)) / (LARGE - SMALL);
  };
  const rows = [];
  const targets = [];
  for (const [args, label] of [['none', 'context.with(ctx, fn)'], ['one', 'context.with(ctx, fn, undefined, 1)']]) {
    const ours = perCall(['ours', args]);
    const theirs = perCall(['otel', args]);
    rows.push([label, theirs.toFixed(0), ours.toFixed(0), `${(ours / theirs).toFixed(3)}x`]);
    targets.push({ text: `${label}: ours costs no more instructions than AsyncLocalStorageContextManager`, met: ours <= theirs, detail: `${(ours / theirs).toFixed(3)}x` });
  }
  return {
    id: 'callgrind-context-with',
    title: 'Instructions per synchronous context.with(), counted by callgrind',
    description: `\`npm run bench -- --callgrind\`: bench/callgrind/context-with.cjs under \`valgrind --tool=callgrind\` with \`node --single-threaded\`, ` +
      `${SMALL.toLocaleString('en')} and ${LARGE.toLocaleString('en')} calls; instructions per call = difference / ${(LARGE - SMALL).toLocaleString('en')}. Immune to the machine's load. Counts move by up to 5% from run to run here (node --single-threaded still JITs), so a ratio within 5% of 1.00x is parity.`,
    columns: ['call', 'AsyncLocalStorageContextManager', 'ours (AsyncContextManager, native engine)', 'ours vs theirs'],
    rows,
    targets,
    node: version,
    date: new Date().toISOString().slice(0, 10),
  };
}

function printTable(result, version) {
  console.log(`\n${result.title} (${version})`);
  for (const row of result.rows) console.log('  ' + row.join(' | '));
  for (const t of result.targets ?? []) console.log(`  target: ${t.text}: ${t.met ? 'met' : 'NOT met'}`);
}

function render(all) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let md = `# Benchmarks\n\nProduced by \`npm run bench\` (scripts/bench.mjs, one process per variant; see bench/README.md).\n` +
    `Machine: ${cpus().length} × ${cpu}. Numbers from different runs are not comparable; ratios within one table are.\n`;
  for (const id of Object.keys(all).sort()) {
    const byLine = all[id];
    const first = Object.values(byLine)[0];
    md += `\n## ${first.title}\n`;
    if (first.description) md += `\n${first.description}\n`;
    for (const key of Object.keys(byLine).sort()) {
      const r = byLine[key];
      md += `\n### Node ${r.node} (${r.date})\n\n| ${r.columns.join(' | ')} |\n|${r.columns.map(() => '---').join('|')}|\n`;
      for (const row of r.rows) md += `| ${row.join(' | ')} |\n`;
      if (r.targets?.length) {
        md += '\n';
        for (const t of r.targets) md += `- ${t.met ? 'met' : '**not met**'}: ${t.text}${t.detail ? ` (${t.detail})` : ''}\n`;
      }
      for (const n of r.notes ?? []) md += `\n_${n}_\n`;
    }
  }
  return md;
}
