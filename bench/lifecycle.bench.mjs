// Lifecycle events: what recording async resource lifecycles on spans costs,
// with LifecycleSpanProcessor off (tracing only) and on (default filters).
//   - per await hop: 100k `await null` inside an active, tracked span;
//   - HTTP requests per second, loaded by autocannon against 127.0.0.1 from
//     this (unhooked) process, on two servers that answer from a setImmediate:
//     `instrumented`, a span per request from @opentelemetry/instrumentation-http
//     (how a traced service runs), and `bare`, a span per request started by
//     hand around the handler (the least work per request, so the largest
//     relative cost of any hook).
// Each variant runs in a child process of its own (bench/README.md).
//   node bench/lifecycle.bench.mjs            the comparison, JSON on the last line
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median, ratio, runChild } from './harness.mjs';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const HOPS = 100_000;
const HOP_PROCESSES = 5;
const HTTP_SECONDS = 2;
const HTTP_ROUNDS = 3;
/** off: tracing only; hooks: the processor's hook on, recording nothing (`include: []`); on: default filters. */
const VARIANTS = ['off', 'hooks', 'on'];
const SERVERS = ['instrumented', 'bare'];

/** A provider with a BatchSpanProcessor and a span-discarding exporter, the package's context manager, and lifecycle `variant`. */
function tracing(variant) {
  const { context, trace } = require('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { AsyncContextManager, LifecycleSpanProcessor, lifecycleOptionsFromEnv } = require('../dist/cjs/index.js');
  context.setGlobalContextManager(new AsyncContextManager().enable());
  const discard = { export(spans, done) { done({ code: 0 }); }, shutdown: () => Promise.resolve() };
  // As the distribution runs: a BatchSpanProcessor (default settings) in front of the exporter.
  const spanProcessors = [new BatchSpanProcessor(discard)];
  // Default options, unless OTEL_ASYNC_CONTEXT_LIFECYCLE_* variables say otherwise (to compare filters).
  if (variant === 'on') spanProcessors.unshift(new LifecycleSpanProcessor(lifecycleOptionsFromEnv({ ...process.env, OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true' })));
  if (variant === 'hooks') spanProcessors.unshift(new LifecycleSpanProcessor({ include: [] }));
  const provider = new BasicTracerProvider({ spanProcessors });
  trace.setGlobalTracerProvider(provider);
  return { provider, tracer: provider.getTracer('bench') };
}

async function hopsChild(variant) {
  const { tracer } = tracing(variant);
  const hops = async () => {
    for (let i = 0; i < HOPS; i++) await null;
  };
  const samples = [];
  for (let round = 0; round < 8; round++) {
    await tracer.startActiveSpan('hops', async (span) => {
      const t = process.hrtime.bigint();
      await hops();
      if (round > 1) samples.push(Number(process.hrtime.bigint() - t) / HOPS);
      span.end();
    });
  }
  console.log(JSON.stringify({ hop: median(samples) }));
}

function serverChild(variant, kind) {
  const { provider, tracer } = tracing(variant);
  let handle = (req, res) => setImmediate(() => res.end('hello'));
  if (kind === 'instrumented') {
    const { registerInstrumentations } = require('@opentelemetry/instrumentation');
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
    registerInstrumentations({ instrumentations: [new HttpInstrumentation()], tracerProvider: provider });
  } else {
    const answer = handle;
    handle = (req, res) => tracer.startActiveSpan('request', (span) => {
      res.on('finish', () => span.end());
      answer(req, res);
    });
  }
  const server = require('node:http').createServer(handle); // required after the instrumentation
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
  process.stdin.on('end', () => process.exit(0)).resume();
}

/** Starts a server child, loads it with autocannon (1 s warm-up, then the run), returns requests/s. */
async function requestsPerSecond(variant, kind) {
  const autocannon = require('autocannon');
  const child = spawn(process.execPath, [self, '--server', variant, kind], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).port);
    });
    child.on('exit', (code) => reject(new Error(`server child exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port}/`;
  const run = (duration) => autocannon({ url, connections: 20, duration });
  await run(1);
  const result = await run(HTTP_SECONDS);
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  if (result.non2xx || result.errors) throw new Error(`${variant}/${kind}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return result.requests.average;
}

async function parent() {
  // Best of the processes (each reporting its median round): on a shared machine a process that
  // ran beside a noisy neighbour only ever reads slower, and the variants differ in hooks, not luck.
  const hopRuns = new Map(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < HOP_PROCESSES; r++) for (const v of VARIANTS) hopRuns.get(v).push(runChild(self, ['--hops', v]).hop);
  const hop = new Map([...hopRuns].map(([v, runs]) => [v, Math.min(...runs)]));
  const rps = new Map(SERVERS.flatMap((k) => VARIANTS.map((v) => [`${k}/${v}`, []])));
  for (let r = 0; r < HTTP_ROUNDS; r++) {
    for (const k of SERVERS) for (const v of VARIANTS) rps.get(`${k}/${v}`).push(await requestsPerSecond(v, k));
  }
  // Best of the rounds, for the same reason as the hops: contention from elsewhere only slows a round.
  const rpsOf = (k, v) => Math.max(...rps.get(`${k}/${v}`));
  const major = Number(process.versions.node.split('.')[0]);
  const names = {
    off: 'lifecycle off (tracing only)',
    hooks: 'hook only (records nothing: include [])',
    on: 'lifecycle on, default filters',
  };
  const hopRatio = hop.get('on') / hop.get('off');
  const rpsRatio = (k) => rpsOf(k, 'on') / rpsOf(k, 'off');
  const targets = [];
  const notes = [
    `Per hop: 100k \`await null\` in an active tracked span, median of 6 rounds per process, best of ${HOP_PROCESSES} processes per variant, interleaved. ` +
    `HTTP: autocannon, 20 connections, ${HTTP_SECONDS} s after 1 s of warm-up, best of ${HTTP_ROUNDS} rounds per case (interleaved), each round a fresh server process; ` +
    'both servers answer "hello" from a setImmediate; spans go through a BatchSpanProcessor (default settings, as the distribution runs) to an exporter that discards them. Instrumented: a span per request from @opentelemetry/instrumentation-http. ' +
    'Bare: a span per request started by hand, the least work per request and so the largest relative cost of any hook. ' +
    'The "hook only" row is the floor of "on": every async resource of the process still passes through init/before/after/destroy.',
  ];
  if (major >= 24) {
    targets.push(
      { text: 'Node 24, default filters: await hop within 10% of lifecycle off', met: hopRatio <= 1.10, detail: `${hopRatio.toFixed(2)}x` },
      ...SERVERS.map((k) => ({
        text: `Node 24, default filters: HTTP requests/s at least 90% of lifecycle off (${k} server)`,
        met: rpsRatio(k) >= 0.90,
        detail: `${(rpsRatio(k) * 100).toFixed(0)}%`,
      })),
    );
  } else {
    notes.push(`The targets are set for Node 24, where a hook can skip promises; on Node ${major} the engine filters PROMISE events itself, so every await still calls into JavaScript.`);
  }
  console.log(JSON.stringify({
    id: 'lifecycle',
    title: 'Lifecycle events: cost per await hop and HTTP requests per second, off vs on',
    columns: ['case', 'ns per await hop', 'hop vs off', 'req/s, instrumented server', 'vs off', 'req/s, bare server', 'vs off'],
    rows: VARIANTS.map((v) => [
      names[v], hop.get(v).toFixed(1), ratio(hop.get(v), hop.get('off')),
      ...SERVERS.flatMap((k) => [Math.round(rpsOf(k, v)), ratio(rpsOf(k, v), rpsOf(k, 'off'))]),
    ]),
    targets,
    notes,
  }));
}

if (process.argv[2] === '--hops') await hopsChild(process.argv[3]);
else if (process.argv[2] === '--server') serverChild(process.argv[3], process.argv[4]);
else await parent();
