// The context doctor: what DiagnoseSpanProcessor costs, against tracing alone
// and against LifecycleSpanProcessor with its default filters (the issue's
// budget: "within the lifecycle default mode's cost").
//   - per span: 100k child spans started and ended under a live parent, each
//     after a setImmediate (so that a resource is created and followed per span);
//   - per await hop: 100k `await null` inside an active span;
//   - per HTTP request: the server's CPU time for a fixed number of requests
//     (autocannon, from this process) to a server instrumented by
//     @opentelemetry/instrumentation-http that answers from a setImmediate.
// Every figure is CPU time of the measured process (process.cpuUsage), not
// wall time: on a shared machine, other processes' load stretches wall time
// but not the CPU a variant spends. Each variant runs in a child process of
// its own (bench/README.md).
//   node bench/diagnose.bench.mjs            the comparison, JSON on the last line
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { median, ratio, runChild } from './harness.mjs';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const SPANS = 100_000;
const HOPS = 100_000;
const PROCESSES = 3;
const HTTP_REQUESTS = 20_000;
const HTTP_ROUNDS = 3;
/** off: tracing only; doctor: DiagnoseSpanProcessor; lifecycle: LifecycleSpanProcessor, default filters. */
const VARIANTS = ['off', 'doctor', 'lifecycle'];

/** A provider with a BatchSpanProcessor and a span-discarding exporter, the package's manager, and `variant`. */
function tracing(variant) {
  const { context, trace } = require('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { AsyncContextManager, DiagnoseSpanProcessor, LifecycleSpanProcessor } = require('../dist/cjs/index.js');
  context.setGlobalContextManager(new AsyncContextManager().enable());
  const discard = { export(spans, done) { done({ code: 0 }); }, shutdown: () => Promise.resolve() };
  const spanProcessors = [new BatchSpanProcessor(discard)];
  if (variant === 'doctor') spanProcessors.unshift(new DiagnoseSpanProcessor());
  if (variant === 'lifecycle') spanProcessors.unshift(new LifecycleSpanProcessor());
  const provider = new BasicTracerProvider({ spanProcessors });
  trace.setGlobalTracerProvider(provider);
  return { provider, tracer: provider.getTracer('bench') };
}

/** CPU time (user + system) of this process, in nanoseconds. */
function cpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

async function spansChild(variant) {
  const { tracer } = tracing(variant);
  const samples = [];
  for (let round = 0; round < 6; round++) {
    await tracer.startActiveSpan('parent', async (parent) => {
      const t = cpuNs();
      for (let i = 0; i < SPANS; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        tracer.startSpan('child').end();
      }
      if (round > 1) samples.push((cpuNs() - t) / SPANS);
      parent.end();
    });
  }
  console.log(JSON.stringify({ span: median(samples) }));
}

async function hopsChild(variant) {
  const { tracer } = tracing(variant);
  const samples = [];
  for (let round = 0; round < 8; round++) {
    await tracer.startActiveSpan('hops', async (span) => {
      const t = cpuNs();
      for (let i = 0; i < HOPS; i++) await null;
      if (round > 1) samples.push((cpuNs() - t) / HOPS);
      span.end();
    });
  }
  console.log(JSON.stringify({ hop: median(samples) }));
}

function serverChild(variant) {
  const { provider } = tracing(variant);
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()], tracerProvider: provider });
  let served = 0;
  let start = 0;
  const server = require('node:http').createServer((req, res) => setImmediate(() => {
    // The first request after the warm-up ('/measure') starts the clock.
    if (req.url === '/measure' && start === 0) start = cpuNs();
    if (start !== 0) served++;
    res.end('hello');
  }));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
  process.stdin.on('end', () => {
    console.log(JSON.stringify({ cpuPerRequest: (cpuNs() - start) / served }));
    process.exit(0);
  }).resume();
}

/** Starts a server child, loads it with autocannon (a warm-up, then the run), returns the server's CPU ns per request. */
async function cpuPerRequest(variant) {
  const autocannon = require('autocannon');
  const child = spawn(process.execPath, [self, '--server', variant], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).port);
    });
    child.on('exit', (code) => reject(new Error(`server child exited (${code})`)));
  });
  const run = (path, amount) => autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 20, amount });
  await run('/warm-up', HTTP_REQUESTS / 4);
  const result = await run('/measure', HTTP_REQUESTS);
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  if (result.non2xx || result.errors) throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return JSON.parse(out.trim().split('\n').pop()).cpuPerRequest;
}

async function parent() {
  // Best of the processes / rounds, interleaved: contention from elsewhere only ever slows a run.
  const best = (runs, pick) => pick(...runs);
  const span = new Map(VARIANTS.map((v) => [v, []]));
  const hop = new Map(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < PROCESSES; r++) {
    for (const v of VARIANTS) {
      span.get(v).push(runChild(self, ['--spans', v]).span);
      hop.get(v).push(runChild(self, ['--hops', v]).hop);
    }
  }
  const http = new Map(VARIANTS.map((v) => [v, []]));
  for (let r = 0; r < HTTP_ROUNDS; r++) for (const v of VARIANTS) http.get(v).push(await cpuPerRequest(v));
  const spanOf = (v) => best(span.get(v), Math.min);
  const hopOf = (v) => best(hop.get(v), Math.min);
  const httpOf = (v) => best(http.get(v), Math.min);
  const names = { off: 'tracing only', doctor: 'DiagnoseSpanProcessor', lifecycle: 'LifecycleSpanProcessor, default filters' };
  const targets = [
    { text: 'doctor: ns per span within the lifecycle default mode\'s', met: spanOf('doctor') <= spanOf('lifecycle') * 1.05, detail: `${ratio(spanOf('doctor'), spanOf('lifecycle'))} of lifecycle` },
    { text: 'doctor: server CPU per HTTP request within the lifecycle default mode\'s', met: httpOf('doctor') <= httpOf('lifecycle') * 1.05, detail: `${ratio(httpOf('doctor'), httpOf('lifecycle'))} of lifecycle` },
  ];
  console.log(JSON.stringify({
    id: 'diagnose',
    title: 'Context doctor: CPU per span, per await hop and per HTTP request, off vs on (vs lifecycle)',
    columns: ['case', 'CPU ns per span (setImmediate + span)', 'vs off', 'CPU ns per await hop', 'vs off', 'server CPU µs per HTTP request', 'vs off'],
    rows: VARIANTS.map((v) => [
      names[v], spanOf(v).toFixed(0), ratio(spanOf(v), spanOf('off')), hopOf(v).toFixed(1), ratio(hopOf(v), hopOf('off')),
      (httpOf(v) / 1000).toFixed(1), ratio(httpOf(v), httpOf('off')),
    ]),
    targets,
    notes: [
      `Per span: ${SPANS / 1000}k rounds of a setImmediate then a child span started and ended under a live parent, median of 4 rounds per process; ` +
      `per hop: ${HOPS / 1000}k \`await null\` in an active span, median of 6 rounds per process; best of ${PROCESSES} processes per variant, interleaved. ` +
      `HTTP: the server's CPU over ${HTTP_REQUESTS / 1000}k requests (autocannon, 20 connections, after ${HTTP_REQUESTS / 4000}k of warm-up), best of ${HTTP_ROUNDS} rounds, a fresh server process each; ` +
      'a span per request from @opentelemetry/instrumentation-http, answered from a setImmediate. Spans go through a BatchSpanProcessor to an exporter that discards them.',
      'All figures are CPU time of the measured process (process.cpuUsage), which a busy shared machine disturbs far less than wall time.',
      'The doctor finds nothing here (every span is in its place): this is its cost on a healthy service. A finding costs a stack capture, once per span concerned.',
    ],
  }));
}

if (process.argv[2] === '--spans') await spansChild(process.argv[3]);
else if (process.argv[2] === '--hops') await hopsChild(process.argv[3]);
else if (process.argv[2] === '--server') serverChild(process.argv[3]);
else await parent();
