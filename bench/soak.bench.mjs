// Soak: sustained load (autocannon, 50 connections) against a service running
// the distribution with lifecycle events on and exporting over OTLP/HTTP to a
// local receiver; the heap after a full GC is sampled over time, and its growth
// is reported per 100k requests (the slope of heap against requests served,
// after a warm-up). One child process per engine.
//
//   node bench/soak.bench.mjs                 ~3 minutes: 90 s per engine
//   SOAK_SECONDS=10 node bench/soak.bench.mjs a quick check
//   SOAK_COLLECTOR=down|slow|500|503          the same load with a failing collector
//   npm run bench:soak                        this file on this Node
//   npm run bench -- soak                     through scripts/bench.mjs (skipped by a plain `npm run bench`)
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { startReceiver } from './soak-receiver.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 90);
const COLLECTOR = process.env.SOAK_COLLECTOR ?? 'ok';
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 50);
const ENGINES = (process.env.SOAK_ENGINES ?? 'native,hooks').split(',');
const SAMPLES = 12;
/** Flat: less than this many bytes of heap kept per 100k requests. */
const FLAT_BYTES_PER_100K = 1024 * 1024;
/** Bounded: the second half's peak heap after GC may exceed the first half's by this much (sampling noise). */
const PLATEAU_BYTES = 4 * 1024 * 1024;
const service = fileURLToPath(new URL('./soak-service.cjs', import.meta.url));

function getJson(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function soak(engine, receiverUrl) {
  const child = spawn(process.execPath, ['--expose-gc', service, engine, receiverUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error('soak service exited before listening')));
  });
  const samples = [await getJson(port, '/__heap')];
  const run = autocannon({ url: `http://127.0.0.1:${port}/`, connections: CONNECTIONS, duration: SECONDS });
  autocannon.track(run, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  const every = (SECONDS * 1000) / SAMPLES;
  const timer = setInterval(async () => samples.push(await getJson(port, '/__heap')), every);
  const result = await run;
  clearInterval(timer);
  samples.push(await getJson(port, '/__heap'));
  const stopped = await getJson(port, '/__stop');
  const exit = await exited;
  // Warm-up: the first quarter of the run (JIT, pools, first exports) is left out of the slope.
  const steady = samples.filter((s) => s.served >= samples[samples.length - 1].served / 4);
  const perRequest = slope(steady.map((s) => ({ x: s.served, y: s.heapUsed })));
  // Bounded: the second half of the steady samples peaks no higher than the first half (plus noise).
  const half = Math.floor(steady.length / 2);
  const maxOf = (list) => Math.max(...list.map((s) => s.heapUsed));
  return {
    engine,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    heapStart: samples[0].heapUsed,
    heapSteady: steady[0].heapUsed,
    heapEnd: samples[samples.length - 1].heapUsed,
    heapMax: maxOf(steady),
    firstHalfMax: maxOf(steady.slice(0, half)),
    secondHalfMax: maxOf(steady.slice(half)),
    growthPer100k: perRequest * 100_000,
    diagnostics: stopped.diagnostics,
    exit,
    samples: samples.map((s) => [s.served, s.heapUsed]),
  };
}

const receiver = await startReceiver(COLLECTOR, { slowMs: 2000 });
const runs = [];
for (const engine of ENGINES) {
  console.error(`# soak: ${engine} engine, ${SECONDS} s, collector ${COLLECTOR}, ${process.version}`);
  runs.push(await soak(engine, receiver.url));
}
await receiver.close();

const mb = (b) => (b / 1024 / 1024).toFixed(1);
const kb = (b) => (b / 1024).toFixed(0);
console.log(JSON.stringify({
  id: COLLECTOR === 'ok' ? 'soak' : `soak-${COLLECTOR}`,
  title: `Soak: sustained load with lifecycle events on, collector ${COLLECTOR}`,
  description: 'Heap after a full GC sampled over the run; growth is the slope of heap against requests served after the first quarter, per 100k requests.',
  columns: ['engine', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'heap after GC: start → end (MB)', 'peak, 1st → 2nd half (MB)', 'growth per 100k requests (KB)', 'diag lines', 'exit'],
  rows: runs.map((r) => [r.engine, r.requests, r.rps, r.p50, r.p99, r.errors, `${mb(r.heapStart)} → ${mb(r.heapEnd)}`, `${mb(r.firstHalfMax)} → ${mb(r.secondHalfMax)}`, kb(r.growthPer100k), r.diagnostics, r.exit.code === 0 ? 'by itself' : `code ${r.exit.code}`]),
  targets: [
    { text: `heap flat: growth under ${kb(FLAT_BYTES_PER_100K)} KB per 100k requests`, met: runs.every((r) => r.growthPer100k < FLAT_BYTES_PER_100K) },
    { text: `heap bounded: the second half peaks within ${mb(PLATEAU_BYTES)} MB of the first`, met: runs.every((r) => r.secondHalfMax <= r.firstHalfMax + PLATEAU_BYTES) },
    { text: 'every request answered 200', met: runs.every((r) => r.errors === 0) },
    { text: 'the service exits by itself after shutdown()', met: runs.every((r) => r.exit.code === 0) },
  ],
  notes: [`${SECONDS} s per engine, ${CONNECTIONS} connections, ${process.version}; samples [requests, heap bytes]: ${JSON.stringify(Object.fromEntries(runs.map((r) => [r.engine, r.samples])))}`],
}));
