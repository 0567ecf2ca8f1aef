/**
 * Spans survive every way a process ends (test/distro/fixtures/exit-app.js, in child
 * processes, OTLP/HTTP to a real receiver on 127.0.0.1): the graceful
 * `server.close(() => process.exit(0))`, `process.exit()` anywhere, an uncaught
 * exception (and Node's own stack and exit code), a SIGTERM handler that gives the
 * default back, a `once` handler, a drain after a handled SIGINT, and a collector
 * that accepts and never answers (with OTEL_EXPORTER_OTLP_TIMEOUT=120000). The
 * signal is sent only after the child prints "ready" (its spans have ended).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { childEnv, ROOT, useOtlpReceiver } from '../e2e/helpers';
import { useBlackHoleCollector } from './helpers';
import { SPAN_KIND, type ReceivedSpan } from '../e2e/otlp-receiver';
import { ENGINES } from '../engines';

const receiver = useOtlpReceiver();

interface AppRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the signal (or from the start when none is sent) to the child's exit. */
  millisToExit: number;
}

/** Runs exit-app.js in `mode`; once it prints "ready", sends `signal` (if any); resolves on exit. */
async function runApp(mode: string, signal?: NodeJS.Signals, env: Record<string, string> = {}): Promise<AppRun> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'exit-app.js'), mode], {
    cwd: ROOT,
    // HTTP and fetch only: the spans asserted are the request's (no dns/net spans).
    env: childEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint, OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let from = performance.now();
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (signal && /^ready$/m.test(stdout) && child.signalCode === null && !child.killed) {
      from = performance.now();
      child.kill(signal);
    }
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, exitSignal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  return { code, signal: exitSignal, stdout, stderr, millisToExit: performance.now() - from };
}

/** The received spans, once each (a batch in flight at exit is sent again: at least once). */
function distinct(spans: ReceivedSpan[]): ReceivedSpan[] {
  return [...new Map(spans.map((s) => [s.spanId, s])).values()];
}

/** [kind, path] of each distinct span of the app, sorted. */
function received(): string[] {
  return distinct(receiver().spans)
    .filter((s) => s.service === 'exit-app')
    .map((s) => `${s.kind === SPAN_KIND.SERVER ? 'server' : s.kind === SPAN_KIND.CLIENT ? 'client' : s.kind} ${s.attributes['url.path'] ?? s.attributes['http.target'] ?? ''}`)
    .sort();
}

const BEFORE = ['client /before', 'server /before'];

describe.each(ENGINES)('%s engine', (engine) => {
  const env = { OTEL_ASYNC_CONTEXT_ENGINE: engine };

  it("graceful: process.on('SIGTERM', () => server.close(() => process.exit(0))) delivers every span", async () => {
    const run = await runApp('graceful', 'SIGTERM', env);
    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(received()).toEqual(BEFORE);
  });

  it('process.exit() right after a request delivers its spans', async () => {
    const run = await runApp('exit', undefined, env);
    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(received()).toEqual(BEFORE);
  });

  it('an uncaught exception: the spans ended before it are delivered, and Node prints the stack and exits 1', async () => {
    const run = await runApp('throw', undefined, env);
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
    expect(run.stderr).toMatch(/^Error: boom from the app\n    at Timeout\._onTimeout .*exit-app\.js:\d+:\d+\)$/m);
    expect(received()).toEqual(BEFORE);
  });
});

it('a SIGTERM handler that removes itself and raises SIGTERM again: the process dies of it within 1 s (status 143)', async () => {
  const run = await runApp('self-removing', 'SIGTERM');
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: null, signal: 'SIGTERM', stderr: '' });
  expect(run.millisToExit).toBeLessThan(1000);
  expect(received()).toEqual(BEFORE);
});

it("a process.once('SIGTERM') handler: the app goes on and ends by itself, the spans delivered", async () => {
  const run = await runApp('once', 'SIGTERM');
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  expect(run.stdout).toMatch(/^closed$/m);
  expect(received()).toEqual(BEFORE);
});

it('a drain after a handled SIGINT is still traced', async () => {
  const run = await runApp('drain', 'SIGINT');
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  expect(run.stdout).toMatch(/^closed$/m);
  expect(received()).toEqual([...BEFORE, 'client /after-signal', 'server /after-signal'].sort());
});

describe('a collector that accepts and never answers, with OTEL_EXPORTER_OTLP_TIMEOUT=120000', () => {
  const blackHole = useBlackHoleCollector();

  // The deadline is the default, 2 s; each bound below is that deadline plus 3 s of slack.
  it.each([
    ['graceful', { code: 0, signal: null }],
    ['once', { code: 0, signal: null }],
    ['unhandled', { code: null, signal: 'SIGTERM' }],
  ] as const)('%s: the process ends within the 2 s deadline', async (mode, end) => {
    const run = await runApp(mode, 'SIGTERM', {
      OTEL_EXPORTER_OTLP_ENDPOINT: blackHole(),
      OTEL_EXPORTER_OTLP_TIMEOUT: '120000',
    });
    expect({ code: run.code, signal: run.signal }).toEqual(end);
    expect(run.millisToExit).toBeLessThan(2000 + 3000);
    expect(run.stderr).toMatch(/did not finish within 2000 ms/);
  });
});
