// Footprint: what loading the package costs an application.
//   1. require time and modules loaded: the manager entry (otel-async-context/context),
//      the engine, and the distribution's entry, against @opentelemetry/context-async-hooks
//      (upstream's manager) and @opentelemetry/api alone; each require in a fresh process.
//   2. startup to the first served request of a bare node:http server under
//      `--require otel-async-context/register` against
//      `--require @opentelemetry/auto-instrumentations-node/register`, with the same
//      instrumentations (OTEL_NODE_ENABLED_INSTRUMENTATIONS=http,undici, then both
//      default sets, which are the same since the distribution took upstream's), the same
//      exporter (OTLP http/protobuf to a receiver on 127.0.0.1), traces only, and only
//      the env resource detector (upstream's cloud detectors would call out of the machine).
// Times are CPU time (user + system) of the child process, which the machine's load
// does not inflate; wall time is shown beside it. Interleaved rounds, medians.
//   npm run bench -- footprint
import { spawn, execFileSync } from 'node:child_process';
import { createServer, get } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, ratio } from './harness.mjs';

const self = fileURLToPath(import.meta.url);
const ROOT = join(dirname(self), '..');
const REQUIRE_ROUNDS = 15;
const STARTUP_ROUNDS = 9;

const ENTRIES = [
  ['api', '@opentelemetry/api', '@opentelemetry/api alone'],
  ['upstream', '@opentelemetry/context-async-hooks', '@opentelemetry/context-async-hooks (upstream manager)'],
  ['context', 'otel-async-context/context', 'otel-async-context/context (the manager)'],
  ['hooks', 'otel-async-context/hooks', 'otel-async-context/hooks (the engine)'],
  ['root', 'otel-async-context', 'otel-async-context (the distribution\'s entry)'],
];

if (process.argv[2] === 'require') {
  // Child: one require, measured; the modules it brought in.
  const require = createRequire(join(ROOT, 'bench', 'footprint-child.js'));
  const before = new Set(Object.keys(require.cache));
  const cpu = process.cpuUsage();
  const wall = performance.now();
  require(process.argv[3]);
  const wallMs = performance.now() - wall;
  const { user, system } = process.cpuUsage(cpu);
  const loaded = Object.keys(require.cache).filter((path) => !before.has(path));
  console.log(JSON.stringify({
    cpuMs: (user + system) / 1000,
    wallMs,
    modules: loaded.length,
    grpc: loaded.some((path) => /[\\/]@grpc[\\/]/.test(path)),
    exporters: loaded.some((path) => /[\\/]exporter-trace-otlp-/.test(path)),
  }));
} else {
  await main();
}

/** Whether the OTLP trace exporters (and gRPC) were among the modules loaded. */
function exportersCell({ exporters, grpc }) {
  return exporters ? `yes${grpc ? ', with gRPC' : ''}` : grpc ? 'gRPC only' : 'no';
}

function requireOnce(specifier) {
  const out = execFileSync(process.execPath, [self, 'require', specifier], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

/** Starts the server under `preload`, requests once, returns the times; the child is then killed. */
function startupOnce(preload, env) {
  return new Promise((resolve, reject) => {
    const args = preload ? ['--require', preload, join(ROOT, 'bench', 'footprint-server.cjs')] : [join(ROOT, 'bench', 'footprint-server.cjs')];
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let buffered = '';
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.startsWith('{"port"'));
      if (!line || child.requested) return;
      child.requested = true;
      get({ host: '127.0.0.1', port: JSON.parse(line).port, path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          const wallMs = performance.now() - started;
          child.once('exit', () => resolve({
            wallMs,
            cpuMs: Number(res.headers['x-cpu-us']) / 1000,
            modules: Number(res.headers['x-modules']),
            grpc: res.headers['x-grpc'] === 'true',
            exporters: res.headers['x-exporters'] === 'true',
          }));
          child.kill('SIGKILL');
        });
      }).on('error', reject);
    });
  });
}

async function main() {
  const rows = [];
  const targets = [];

  // 1. require
  const samples = new Map(ENTRIES.map(([id]) => [id, []]));
  for (let round = 0; round < REQUIRE_ROUNDS; round++) {
    for (const [id, specifier] of ENTRIES) samples.get(id).push(requireOnce(specifier));
  }
  const req = new Map([...samples].map(([id, s]) => [id, {
    cpuMs: median(s.map((x) => x.cpuMs)), wallMs: median(s.map((x) => x.wallMs)),
    modules: s[0].modules, grpc: s[0].grpc, exporters: s[0].exporters,
  }]));
  const anchor = req.get('upstream');
  for (const [id, , name] of ENTRIES) {
    const r = req.get(id);
    rows.push([`require ${name}`, r.modules, exportersCell(r),
      r.cpuMs.toFixed(1), r.wallMs.toFixed(1), ratio(r.cpuMs, anchor.cpuMs)]);
  }
  const manager = req.get('context');
  targets.push({
    text: 'manager entry (otel-async-context/context) <= 1.5x context-async-hooks\' require time, no exporter, no gRPC',
    met: manager.cpuMs <= 1.5 * anchor.cpuMs && !manager.grpc && !manager.exporters,
    detail: `${ratio(manager.cpuMs, anchor.cpuMs)}, ${manager.modules} modules vs ${anchor.modules}`,
  });

  // 2. startup to the first served request
  const receiver = createServer((request, response) => { request.resume(); request.on('end', () => response.end()); });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_') && name !== 'NODE_OPTIONS'));
  const env = {
    ...base,
    OTEL_SERVICE_NAME: 'footprint',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.address().port}`,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_NODE_RESOURCE_DETECTORS: 'env',
  };
  // Two instrumentation sets, each the same for both: http + undici, and the default set
  // (upstream's: every instrumentation of auto-instrumentations-node but fs, which is ours too).
  const SETS = [
    ['http, undici', { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici' }],
    ['default set', {}],
  ];
  const STARTUPS = [
    ['bare', null, 'no tracing'],
    ['upstream', '@opentelemetry/auto-instrumentations-node/register', '--require @opentelemetry/auto-instrumentations-node/register'],
    ['ours', 'otel-async-context/register', '--require otel-async-context/register'],
  ];
  const cases = SETS.flatMap(([set, extra], i) => STARTUPS.filter(([id]) => i === 0 || id !== 'bare')
    .map(([id, preload, name]) => ({ key: `${set}/${id}`, set, id, preload, name, env: { ...env, ...extra } })));
  const startSamples = new Map(cases.map((c) => [c.key, []]));
  for (let round = 0; round < STARTUP_ROUNDS; round++) {
    for (const c of cases) startSamples.get(c.key).push(await startupOnce(c.preload, c.env));
  }
  receiver.close();
  const st = new Map([...startSamples].map(([key, s]) => [key, {
    cpuMs: median(s.map((x) => x.cpuMs)), wallMs: median(s.map((x) => x.wallMs)), modules: s[0].modules, grpc: s[0].grpc, exporters: s[0].exporters,
  }]));
  for (const [set] of SETS) {
    const upstream = st.get(`${set}/upstream`);
    for (const c of cases.filter((x) => x.set === set)) {
      const r = st.get(c.key);
      rows.push([`startup to first request (${c.id === 'bare' ? 'no instrumentation' : set}): ${c.name}`, r.modules, exportersCell(r),
        r.cpuMs.toFixed(1), r.wallMs.toFixed(1), ratio(r.cpuMs, upstream.cpuMs)]);
    }
    const ours = st.get(`${set}/ours`);
    targets.push({
      text: `register startup to first served request <= 1.0x upstream's (${set}, the same for both)`,
      met: ours.cpuMs <= upstream.cpuMs,
      detail: `${ratio(ours.cpuMs, upstream.cpuMs)} CPU, ${ratio(ours.wallMs, upstream.wallMs)} wall`,
    });
  }

  console.log(JSON.stringify({
    id: 'footprint',
    title: 'Footprint: require time, modules loaded, startup to first served request',
    description: 'Command: `npm run bench -- footprint` (bench/footprint.bench.mjs). Each require and each server start in a fresh process; ' +
      `medians of ${REQUIRE_ROUNDS} (require) and ${STARTUP_ROUNDS} (startup) interleaved rounds. The ratio is of CPU time: ` +
      'against context-async-hooks for the require rows, against auto-instrumentations-node\'s register for the startup rows. ' +
      'Startup: a bare node:http server, OTLP http/protobuf to a receiver on 127.0.0.1, traces only, ' +
      'OTEL_NODE_RESOURCE_DETECTORS=env for both; instrumentations: OTEL_NODE_ENABLED_INSTRUMENTATIONS=http,undici for both, then each one\'s default set ' +
      '(ours is upstream\'s: every instrumentation of auto-instrumentations-node 0.81 but fs). Upstream\'s register loads every instrumentation package ' +
      'whatever the set; ours loads only the instrumentations it turns on.',
    columns: ['case', 'modules loaded', 'exporters loaded', 'CPU ms', 'wall ms', 'ratio (CPU)'],
    rows,
    targets,
    notes: [`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`],
  }));
}
