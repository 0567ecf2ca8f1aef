/**
 * Under load: 10,000 requests, 500 at a time, against a service running the
 * distribution (HTTP instrumentation, our context manager), each request doing
 * a seeded random mix of async patterns (await chains, timers, setImmediate,
 * nextTick, fs, zlib, EventEmitter, streams, outgoing HTTP to a second local
 * server) and creating child spans. Every span must be in its request's trace
 * under the parent its code expects: zero cross-request bleed, counted.
 */
import { ENGINES } from '../engines';
import { get, load, startServer } from './load-client';

const REQUESTS = 10_000;
const CONCURRENCY = 500;
const SEED = 20260113;

describe.each(ENGINES)('10,000 requests, 500 at a time (%s engine)', (engine) => {
  let report: any;
  let loadResult: Awaited<ReturnType<typeof load>>;
  let exit: { status: number | null; signal: NodeJS.Signals | null };
  let stderr = '';

  beforeAll(async () => {
    const server = await startServer('load-server.js', [engine, String(SEED)]);
    loadResult = await load(server.port, REQUESTS, CONCURRENCY, (i) => `/work?request=${i}`,
      (i, status, body) => status === 200 && body === `ok ${i}`);
    const answer = await get(server.port, `/__report?requests=${REQUESTS}`);
    report = JSON.parse(answer.body);
    exit = await server.exited(20_000);
    stderr = server.stderr();
  }, 150_000);

  it('every request succeeded with its own answer', () => {
    expect({ ok: loadResult.ok, failed: loadResult.failed, errors: loadResult.errors }).toEqual({ ok: REQUESTS, failed: 0, errors: [] });
    expect({ served: report.served, failures: report.failureCount }).toEqual({ served: REQUESTS, failures: 0 });
    expect(report.engine).toBe(engine);
  });

  it('every span was recorded: one server span and one trace per request', () => {
    expect(report.spans).toBe(report.expectedSpans);
    expect(report.spans).toBeGreaterThan(REQUESTS * 4);
    expect([report.serverSpans, report.distinctTraces]).toEqual([REQUESTS, REQUESTS]);
  });

  it('every span is in its request\'s trace under the parent its code expects: zero bleed', () => {
    expect({ checked: report.checked, bleed: report.bleed, problems: report.problems }).toEqual({ checked: report.spans, bleed: 0, problems: [] });
  });

  it('after shutdown() the service exited by itself, exit code 0, nothing on stderr', () => {
    expect({ ...exit, stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  });
});
