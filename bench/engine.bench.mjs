// AsyncLocalStorage engines: cost per await hop inside run() with getStore()
// after each hop, and the cost of a synchronous run() + getStore(), for our
// two engines against Node's own AsyncLocalStorage and against no context.
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { interleave, median, ratio, runChild } from './harness.mjs';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const HOPS = 200_000;
const SYNC_RUNS = 1_000_000;

async function child(variant) {
  let als;
  if (variant === 'node') als = new (require('node:async_hooks').AsyncLocalStorage)();
  else if (variant !== 'none') als = new (require('../dist/cjs/hooks/index.js').AsyncLocalStorage)({ engine: variant });
  const store = { id: 1 };
  const hops = async () => {
    for (let i = 0; i < HOPS; i++) {
      await null;
      if (als !== undefined && als.getStore() !== store) throw new Error('lost the store');
    }
  };
  const hopSamples = [];
  const syncSamples = [];
  for (let round = 0; round < 6; round++) {
    let t = process.hrtime.bigint();
    await (als ? als.run(store, hops) : hops());
    if (round > 0) hopSamples.push(Number(process.hrtime.bigint() - t) / HOPS);
    t = process.hrtime.bigint();
    let n = 0;
    const fn = () => { n += als ? (als.getStore() === store ? 1 : 0) : 1; };
    for (let i = 0; i < SYNC_RUNS; i++) (als ? als.run(store, fn) : fn());
    if (n !== SYNC_RUNS) throw new Error('lost the store');
    if (round > 0) syncSamples.push(Number(process.hrtime.bigint() - t) / SYNC_RUNS);
  }
  console.log(JSON.stringify({ hop: median(hopSamples), sync: median(syncSamples) }));
}

/** N enabled hooks with every callback (no-ops), on node:async_hooks or ours: ns per Immediate + promise round trip. */
async function hooksChild(module, n) {
  const { createHook } = module === 'node' ? require('node:async_hooks') : require('../dist/cjs/hooks/index.js');
  let events = 0;
  const callbacks = {
    init() { events++; }, before() { events++; }, after() { events++; }, destroy() { events++; }, promiseResolve() { events++; },
  };
  for (let i = 0; i < n; i++) createHook(callbacks).enable();
  const OPS = 50_000;
  const samples = [];
  for (let round = 0; round < 6; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) await new Promise((resolve) => setImmediate(resolve));
    if (round > 0) samples.push(Number(process.hrtime.bigint() - t) / OPS);
  }
  if (n > 0 && events === 0) throw new Error('no hook ran');
  console.log(JSON.stringify({ op: median(samples) }));
}

function hooksTable() {
  const counts = [1, 4, 16];
  const variants = ['none', ...counts.flatMap((n) => [`node:${n}`, `ours:${n}`])];
  const measured = interleave(variants, 3, (v) => {
    const [module, n] = v === 'none' ? ['node', '0'] : v.split(':');
    return runChild(self, ['--hooks', module, n]).op;
  });
  const base = measured.get('none');
  const rows = counts.map((n) => {
    const node = measured.get(`node:${n}`);
    const ours = measured.get(`ours:${n}`);
    return [String(n), node.toFixed(0), ours.toFixed(0), (node - base).toFixed(0), (ours - base).toFixed(0), ratio(ours - base, node - base)];
  });
  return {
    id: 'engine-hooks',
    title: 'N enabled hooks: ours against node:async_hooks',
    description: 'Each variant in a process of its own: N hooks with all five callbacks (no-ops) enabled, then 50k ' +
      '`await new Promise((r) => setImmediate(r))` round trips (a PROMISE and an Immediate per round trip). Median of 5 rounds per process, median of 3 processes, interleaved; ' +
      `no hook: ${base.toFixed(0)} ns per round trip.`,
    columns: ['N hooks', 'node:async_hooks, ns', 'ours, ns', 'node: added by the hooks', 'ours: added by the hooks', 'added cost, ours vs node'],
    rows,
    targets: [{ text: 'N hooks of ours cost no more than 10% over N hooks of node:async_hooks', met: rows.every((r) => Number(r[4]) <= Number(r[3]) * 1.1) }],
    notes: ["Each hook of ours is one native hook with its callbacks wrapped (recursion guard): the added cost is Node's own per hook plus one wrapper call per callback."],
  };
}

function parent() {
  const variants = ['none', 'node', 'native', 'hooks'];
  const measured = interleave(variants, 3, (v) => runChild(self, ['--child', v]));
  const hop = (v) => median([measured.get(v).hop]);
  const sync = (v) => measured.get(v).sync;
  const names = { none: 'no context (await only)', node: "Node's AsyncLocalStorage", native: 'ours, native engine', hooks: 'ours, hooks engine' };
  const major = Number(process.versions.node.split('.')[0]);
  const targets = [{
    text: "native engine per await hop within 5% of Node's AsyncLocalStorage",
    met: hop('native') <= hop('node') * 1.05,
    detail: ratio(hop('native'), hop('node')),
  }];
  if (major < 24) {
    targets.push({
      text: "hooks engine per await hop at least as fast as Node's AsyncLocalStorage (Node 20/22, where Node's is hook-based too)",
      met: hop('hooks') <= hop('node') * 1.0,
      detail: ratio(hop('hooks'), hop('node')),
    });
  }
  console.log(JSON.stringify({
    id: 'engine',
    title: 'AsyncLocalStorage engines: per await hop and per synchronous run()',
    description: 'Each variant runs in a process of its own: 200k `await null` hops inside `run()` with `getStore()` after each, ' +
      'and 1M synchronous `run(store, fn)` calls whose `fn` reads `getStore()`. Median of 5 rounds in each process, median of 3 processes per variant, interleaved.',
    columns: ['variant', 'ns per await hop', "hop vs Node's ALS", 'ns per sync run + getStore', "sync vs Node's ALS"],
    rows: variants.map((v) => [names[v], hop(v).toFixed(1), v === 'none' ? '-' : ratio(hop(v), hop('node')), v === 'none' ? '-' : sync(v).toFixed(1), v === 'none' ? '-' : ratio(sync(v), sync('node'))]),
    targets,
    notes: ['The hop cost includes the await itself: compare against the "no context" row for the cost of the context alone.'],
  }));
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else if (process.argv[2] === '--hooks') await hooksChild(process.argv[3], Number(process.argv[4]));
else {
  const hooks = hooksTable();
  parent();
  console.log(JSON.stringify(hooks));
}
