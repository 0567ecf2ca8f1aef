// The ContextManager: per await hop inside context.with() reading
// context.active(), a synchronous context.with() + context.active() through
// @opentelemetry/api, bind() + one call of the bound function, and nested
// tracer.startActiveSpan(), for AsyncContextManager on both engines against
// AsyncLocalStorageContextManager (@opentelemetry/context-async-hooks) and
// raw AsyncLocalStorage (run + getStore). Each variant runs in a process of
// its own, so that no variant sees another's hooks.
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { interleave, median, ratio, runChild } from './harness.mjs';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const HOPS = 100_000;
const SYNC = 300_000;
const BINDS = 200_000;
const SPANS = 10_000;
const ROUNDS = 5; // the first is warm-up
const PROCESSES = 5;
/** "No slower" allows this much: the spread between processes of one variant on a quiet machine. */
const NOISE = 1.03;

const VARIANTS = ['raw', 'upstream', 'native', 'hooks'];
const NAMES = {
  raw: "raw AsyncLocalStorage (run + getStore)",
  upstream: 'AsyncLocalStorageContextManager',
  native: 'AsyncContextManager, native engine',
  hooks: 'AsyncContextManager, hooks engine',
};

/** Collects garbage before each measurement (runChild passes --expose-gc), so that one case's garbage is not billed to the next. */
const collect = globalThis.gc ?? (() => {});

/**
 * The process's CPU time in ns. On a shared machine wall time counts the time
 * the process waited for a core; CPU time does not, so ratios hold under load.
 */
function cpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function timeNs(n, fn) {
  collect();
  const t = cpuNs();
  fn();
  return (cpuNs() - t) / n;
}

async function timeNsAsync(n, fn) {
  collect();
  const t = cpuNs();
  await fn();
  return (cpuNs() - t) / n;
}

/** The operations of one variant: `with`, `active` and `bind`, through the API for the managers. */
function operations(variant) {
  const api = require('@opentelemetry/api');
  if (variant === 'raw') {
    const als = new (require('node:async_hooks').AsyncLocalStorage)();
    return {
      api,
      with: (c, fn) => als.run(c, fn),
      active: () => als.getStore(),
      managerWith: (c, fn) => als.run(c, fn),
      managerActive: () => als.getStore(),
      // The minimal wrapper: no name, no length, no this.
      bind: (c, fn) => (...args) => als.run(c, fn, ...args),
    };
  }
  const manager = variant === 'upstream'
    ? new (require('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)()
    : new (require('../dist/cjs/context/index.js').AsyncContextManager)({ engine: variant });
  api.context.setGlobalContextManager(manager.enable());
  return {
    api,
    with: (c, fn) => api.context.with(c, fn),
    active: () => api.context.active(),
    // The await hop is measured on the manager itself: the API's global lookup
    // would be counted once per hop, and raw AsyncLocalStorage has none.
    managerWith: (c, fn) => manager.with(c, fn),
    managerActive: () => manager.active(),
    bind: (c, fn) => api.context.bind(c, fn),
  };
}

/** Runs `measure` ROUNDS times and returns the median of all rounds but the first (warm-up). */
async function rounds(measure) {
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ns = await measure();
    if (round > 0) samples.push(ns);
  }
  return median(samples);
}

async function child(variant) {
  const ops = operations(variant);
  const { api } = ops;
  const key = api.createContextKey('bench');
  const c = api.ROOT_CONTEXT.setValue(key, 1);
  // One case after the other, the await hop first, so that every variant
  // measures it in the same state (nothing of the SDK loaded yet).
  const hop = await rounds(() => timeNsAsync(HOPS, () => ops.managerWith(c, async () => {
    for (let i = 0; i < HOPS; i++) {
      await null;
      if (ops.managerActive() !== c) throw new Error('lost the context');
    }
  })));

  let seen = 0;
  const read = () => { if (ops.active() === c) seen++; };
  const sync = await rounds(() => timeNs(SYNC, () => { for (let i = 0; i < SYNC; i++) ops.with(c, read); }));
  if (seen !== SYNC * ROUNDS) throw new Error('lost the context');

  const target = function target(a, b) { return ops.active() === c ? a + b : 0; };
  let sum = 0;
  const bind = await rounds(() => timeNs(BINDS, () => { for (let i = 0; i < BINDS; i++) sum += ops.bind(c, target)(1, 1); }));
  if (sum !== 2 * BINDS * ROUNDS) throw new Error('lost the context');

  let span = NaN;
  if (variant !== 'raw') {
    const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
    const tracer = new BasicTracerProvider().getTracer('bench');
    let parented = 0;
    span = await rounds(() => timeNs(SPANS, () => {
      for (let i = 0; i < SPANS; i++) {
        tracer.startActiveSpan('outer', (outer) => {
          tracer.startActiveSpan('inner', (inner) => {
            if (inner.parentSpanContext?.spanId === outer.spanContext().spanId) parented++;
            inner.end();
          });
          outer.end();
        });
      }
    }));
    if (parented !== SPANS * ROUNDS) throw new Error('inner span not parented to outer');
  }
  console.log(JSON.stringify({ hop, sync, bind, span }));
}

function parent() {
  const loadBefore = loadavg()[0];
  const measured = interleave(VARIANTS, PROCESSES, (v) => runChild(self, ['--child', v]));
  const get = (v, k) => measured.get(v)[k];
  const fmt = (n) => (Number.isFinite(n) ? n.toFixed(1) : '-');
  const vs = (v, k, base) => (Number.isFinite(get(v, k)) && Number.isFinite(get(base, k)) ? ratio(get(v, k), get(base, k)) : '-');
  const targets = [];
  for (const engine of ['native', 'hooks']) {
    targets.push(
      { text: `${engine}: per await hop within 5% of raw AsyncLocalStorage`, met: get(engine, 'hop') <= get('raw', 'hop') * 1.05, detail: vs(engine, 'hop', 'raw') },
      { text: `${engine}: sync with + active no slower than AsyncLocalStorageContextManager (3% noise allowance)`, met: get(engine, 'sync') <= get('upstream', 'sync') * NOISE, detail: vs(engine, 'sync', 'upstream') },
      { text: `${engine}: bind + call at least 2x as fast as AsyncLocalStorageContextManager`, met: get(engine, 'bind') * 2 <= get('upstream', 'bind'), detail: vs(engine, 'bind', 'upstream') },
      { text: `${engine}: nested startActiveSpan no slower than AsyncLocalStorageContextManager (3% noise allowance)`, met: get(engine, 'span') <= get('upstream', 'span') * NOISE, detail: vs(engine, 'span', 'upstream') },
    );
  }
  console.log(JSON.stringify({
    id: 'context',
    title: 'ContextManager: await hop, sync with, bind + call, nested startActiveSpan',
    description: `Each variant runs in a process of its own, set as the global context manager: ${HOPS / 1000}k \`await null\` hops inside ` +
      `the manager's \`with()\` reading its \`active()\` after each; ${SYNC / 1000}k synchronous \`context.with(ctx, fn)\` of @opentelemetry/api whose fn reads ` +
      `\`context.active()\`; ${BINDS / 1000}k \`context.bind(ctx, fn)\` each called once; ${SPANS / 1000}k \`startActiveSpan\` with one nested ` +
      `\`startActiveSpan\` (BasicTracerProvider, no processor). Raw AsyncLocalStorage uses run/getStore and a minimal (...args) wrapper for bind. ` +
      `Times are the process's CPU time (user + system), not wall time. Cases run one after the other in each process (await hop first); median of ${ROUNDS - 1} rounds after a warm-up, median of ${PROCESSES} interleaved processes per variant.`,
    columns: ['variant', 'ns per await hop', 'hop vs raw', 'ns per sync with', 'sync vs upstream', 'ns per bind + call', 'bind vs upstream', 'ns per nested span pair', 'spans vs upstream'],
    rows: VARIANTS.map((v) => [
      NAMES[v],
      fmt(get(v, 'hop')), vs(v, 'hop', 'raw'),
      fmt(get(v, 'sync')), vs(v, 'sync', 'upstream'),
      fmt(get(v, 'bind')), vs(v, 'bind', 'upstream'),
      fmt(get(v, 'span')), vs(v, 'span', 'upstream'),
    ]),
    targets,
    notes: [
      'upstream = AsyncLocalStorageContextManager of @opentelemetry/context-async-hooks; ratios below 1.00x are faster.',
      'Our bind returns a Proxy of the function (name and length read through); the raw row\'s minimal wrapper keeps neither.',
      `1-minute load average before / after the run: ${loadBefore.toFixed(2)} / ${loadavg()[0].toFixed(2)} (a shared machine: ratios are only as good as the load was steady).`,
    ],
  }));
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else parent();
