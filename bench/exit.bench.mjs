// Exit and export figures of the distribution (docs/reliability.md, "The process lifecycle").
//
// 1. Exports in flight and heap, against a collector that accepts and never answers
//    (OTLP/HTTP protobuf, exporter timeout 120 s, batch processor export timeout 200 ms,
//    10,000 spans/s of 10 attributes for EXIT_BENCH_SECONDS, default 6): the SDK's
//    BatchSpanProcessor straight in front of the exporter, and with the distribution's
//    SerialExporter between them. Each variant in a child process of its own (--expose-gc).
// 2. Time from SIGTERM to the end of test/distro/fixtures/exit-app.js (the distribution
//    started in code, one request served) per way of ending, against the same hung
//    collector with OTEL_EXPORTER_OTLP_TIMEOUT=120000, and against a collector that answers.
//    EXIT_BENCH_ROOT=<another checkout, built> measures that checkout's build instead
//    (part 2 only; the fixture must exist there); the children are killed after 30 s.
//
//   node scripts/build.mjs --no-types && node bench/exit.bench.mjs
//   npm run bench -- exit
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const SECONDS = Number(process.env.EXIT_BENCH_SECONDS ?? 6);
const ROOT = process.env.EXIT_BENCH_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);

/** Child: one variant of part 1; prints its JSON on the last line. */
async function variant(name, url) {
  const require = createRequire(join(ROOT, 'package.json'));
  const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
  const { diag } = require('@opentelemetry/api');
  diag.disable();
  const otlp = new OTLPTraceExporter({ url, timeoutMillis: 120_000 });
  let inFlight = 0;
  let maxInFlight = 0;
  const counting = {
    export(spans, done) {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      otlp.export(spans, (result) => {
        inFlight--;
        done(result);
      });
    },
    shutdown: () => Promise.resolve(),
  };
  let target = counting;
  if (name === 'SerialExporter') {
    const { SerialExporter } = require(join(ROOT, 'dist/cjs/distro/serial-exporter.js'));
    target = new SerialExporter(counting, { maxQueuedSpans: 2048 });
  }
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(target, { exportTimeoutMillis: 200, scheduledDelayMillis: 20, maxExportBatchSize: 512, maxQueueSize: 2048 })],
  });
  const tracer = provider.getTracer('bench');
  const value = 'x'.repeat(100);
  const attributes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`attr.${i}`, value]));
  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const end = Date.now() + SECONDS * 1000;
  let spans = 0;
  while (Date.now() < end) {
    for (let i = 0; i < 100; i++, spans++) tracer.startSpan('work', { attributes }).end();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  globalThis.gc();
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(JSON.stringify({ name, spans, maxInFlight, heapBefore, heapAfter }));
  process.exit(0);
}

/** A collector in a child process: `hang` accepts and never answers, `ok` answers 200. */
async function collector(mode) {
  const child = spawn(process.execPath, ['-e', `
    const http = require('node:http');
    const server = http.createServer((req, res) => { req.resume(); if (${mode === 'ok'}) req.on('end', () => res.end()); });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  return { url: `http://127.0.0.1:${String(line).trim()}`, stop: () => child.kill() };
}

/** Part 2: ms from the signal (or the start, for modes that end by themselves) to the child's end. */
async function timeToExit(mode, endpoint) {
  const child = spawn(process.execPath, [join(ROOT, 'test/distro/fixtures/exit-app.js'), mode], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_TIMEOUT: '120000', OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let from = performance.now();
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (/^ready$/m.test(out) && child.signalCode === null && from !== 0 && !child.killed && !out.includes('#sent')) {
      out += '#sent';
      from = performance.now();
      child.kill('SIGTERM');
    }
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(killer);
  return { ms: Math.round(performance.now() - from), end: signal ?? `code ${code}` };
}

if (process.argv[2] === 'variant') {
  await variant(process.argv[3], process.argv[4]);
} else {
  const hung = await collector('hang');
  const ok = await collector('ok');
  const rows = [];
  try {
    const variants = process.env.EXIT_BENCH_ROOT === undefined ? ['BatchSpanProcessor only', 'SerialExporter'] : [];
    const runs = variants.map((name) =>
      JSON.parse(execFileSync(process.execPath, ['--expose-gc', self, 'variant', name, `${hung.url}/v1/traces`], { encoding: 'utf8' }).trim().split('\n').pop()),
    );
    const mb = (b) => (b / 1024 / 1024).toFixed(1);
    for (const r of runs) {
      rows.push([`in front of a hung collector: ${r.name}`, `${r.maxInFlight} exports in flight (most)`, `heap after GC ${mb(r.heapBefore)} -> ${mb(r.heapAfter)} MB`, `${r.spans} spans`]);
    }
    for (const [collectorName, c] of [['hung', hung], ['answering', ok]]) {
      for (const mode of ['graceful', 'once', 'unhandled']) {
        const t = await timeToExit(mode, c.url);
        rows.push([`SIGTERM, app ${mode}, collector ${collectorName}`, `${t.ms} ms to exit`, t.end, '']);
      }
    }
  } finally {
    hung.stop();
    ok.stop();
  }
  console.log(JSON.stringify({
    id: 'exit',
    title: 'Exit and exports in flight against a hung collector',
    columns: ['case', 'figure', 'detail', ''],
    rows,
    notes: [`node ${process.version}; build of ${ROOT}; exporter timeout 120 s; ${SECONDS} s of spans per variant`],
  }));
}
