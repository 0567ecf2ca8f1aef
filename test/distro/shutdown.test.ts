/**
 * Exit handling, in child processes: on SIGTERM/SIGINT the spans are flushed
 * and the process then ends as it would have (killed by the same signal, or the
 * app's own exit code when it handles the signal); `beforeExit` flushes; the
 * handlers can be turned off; a flush that hangs does not keep the process.
 * The exit-delivery cases (process.exit(), uncaught exceptions, the app's own
 * signal handlers, a hung collector) are in exit-delivery.test.ts.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { childEnv, ROOT, useOtlpReceiver } from '../e2e/helpers';
import { useBlackHoleCollector } from './helpers';

const receiver = useOtlpReceiver();

/** Runs the fixture in `mode`; once it prints "ready", sends `signal` (if any); resolves on exit. */
async function runApp(mode: string, signal?: NodeJS.Signals, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'signal-app.js'), mode], {
    cwd: ROOT,
    env: childEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (signal && /^ready$/m.test(stdout) && !child.killed) child.kill(signal);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, exitSignal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  return { code, signal: exitSignal, stdout, stderr };
}

it.each(['SIGTERM', 'SIGINT'] as const)('%s: the span is flushed, then the process dies of the signal', async (signal) => {
  const run = await runApp('wait', signal);
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: null, signal, stderr: '' });
  expect(receiver().spans.map((s) => [s.name, s.service])).toEqual([['span-wait', 'signal-app']]);
});

it('the app handles SIGTERM itself: flushed, and its exit code is kept', async () => {
  const run = await runApp('app-handler', 'SIGTERM');
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 3, signal: null, stderr: '' });
  expect(receiver().spans.map((s) => s.name)).toEqual(['span-app-handler']);
});

it('beforeExit: a process that ends by itself flushes, and keeps its exit code', async () => {
  const run = await runApp('natural');
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 7, signal: null, stderr: '' });
  expect(receiver().spans.map((s) => s.name)).toEqual(['span-natural']);
});

it('shutdown: false installs no handler: SIGTERM kills at once, nothing is flushed', async () => {
  const run = await runApp('off', 'SIGTERM');
  expect({ code: run.code, signal: run.signal }).toEqual({ code: null, signal: 'SIGTERM' });
  expect(receiver().requests).toEqual([]);
});

it('shutdown() is idempotent, and after it a signal has its default effect', async () => {
  const run = await runApp('manual', 'SIGTERM');
  expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: null, signal: 'SIGTERM', stderr: '' });
  expect(run.stdout).toMatch(/^same promise: true$/m);
  expect(receiver().spans.map((s) => s.name)).toEqual(['span-manual']);
});

describe('a collector that never answers', () => {
  const blackHole = useBlackHoleCollector();

  it('the flush gives up after the timeout, and the process still dies of the signal', async () => {
    const run = await runApp('wait', 'SIGTERM', {
      OTEL_EXPORTER_OTLP_ENDPOINT: blackHole(),
      SHUTDOWN_TIMEOUT: '300',
    });
    expect({ code: run.code, signal: run.signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(run.stderr).toMatch(/flush did not finish within 300 ms; ending anyway/);
  });
});
