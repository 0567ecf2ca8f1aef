/**
 * The doctor against real libraries and the real PostgreSQL, MariaDB and
 * Redis of the machine (test/diagnose/fixtures/patterns.js). Each pattern that
 * puts spans in the wrong trace with our manager and the upstream
 * instrumentations is reported with the resource that carried the context and
 * the span that created it, and the fix the doctor names makes the report
 * disappear. The correct patterns give no finding at all.
 */
import { ENGINES } from '../engines';
import { runScenarios, type ScenarioResult } from './helpers';

const BROKEN_AND_FIXED = [
  'pg-pool-callbacks', 'mysql2-connection', 'mysql2-connection-bound', 'mysql2-pool-promises', 'mysql2-pool-get-connection', 'async-queue', 'async-queue-bound',
  'emitter-startup-timer', 'emitter-startup-timer-bound', 'root-context-query', 'root-context-query-fixed',
];
const CORRECT = ['pg-pool-promises', 'ioredis-promises', 'express-fastify-fetch'];
const APP_FRAME = /^test\/diagnose\/fixtures\/patterns\.js:\d+:\d+$/;

describe.each(ENGINES)('the doctor on real libraries (%s engine)', (engine) => {
  let withoutPg: Map<string, ScenarioResult>;
  let instrumented: Map<string, ScenarioResult>;

  beforeAll(async () => {
    [withoutPg, instrumented] = await Promise.all([
      runScenarios('patterns.js', [engine, 'no-pg', 'pg-pool-callbacks']),
      runScenarios('patterns.js', [engine, 'all', ...BROKEN_AND_FIXED, ...CORRECT]),
    ]);
  }, 60_000);

  const only = (results: Map<string, ScenarioResult>, scenario: string) => {
    const result = results.get(scenario)!;
    expect(result.findings).toHaveLength(1);
    expect(result.marked).toBe(result.findings[0].count);
    return result.findings[0];
  };

  test('pg pool smaller than the requests, callback queries: the pooled socket carried the first requests\' context; instrumentation-pg is the fix', () => {
    const finding = only(withoutPg, 'pg-pool-callbacks');
    expect(finding).toMatchObject({ kind: 'leaked_context', spanName: 'after pg query', resourceType: 'TCPWRAP', resourceSpan: 'request' });
    expect(finding.count).toBeGreaterThan(0);
    expect(finding.location).toMatch(APP_FRAME);
    expect(finding.fix).toMatch(/^enable @opentelemetry\/instrumentation-pg/);
    expect(finding.message).toMatch(/called from pg-pool/);
    expect(instrumented.get('pg-pool-callbacks')).toEqual({ scenario: 'pg-pool-callbacks', findings: [], marked: 0 });
  });

  test('a mysql2 connection created by a request that has ended: its callbacks run under that request; binding the callback is the fix', () => {
    const finding = only(instrumented, 'mysql2-connection');
    expect(finding).toMatchObject({ kind: 'leaked_context', spanName: 'after mysql query', resourceSpan: 'request', count: 2 });
    expect(finding.message).toMatch(/<- TCPWRAP \d+ created under 'request' \(ended/);
    expect(finding.location).toMatch(APP_FRAME);
    expect(finding.fix).toMatch(/^bind the callback \(test\/diagnose\/fixtures\/patterns\.js:\d+:\d+\) where it is handed over to mysql2: context\.bind\(context\.active\(\), callback\)/);
    expect(instrumented.get('mysql2-connection-bound')).toEqual({ scenario: 'mysql2-connection-bound', findings: [], marked: 0 });
  });

  test('mysql2 promise pool under contention: queued queries\' spans start under the previous user of the connection; getConnection() in the request is the fix', () => {
    const finding = only(instrumented, 'mysql2-pool-promises');
    expect(finding).toMatchObject({ kind: 'leaked_context', spanName: 'SELECT', resourceSpan: 'request' });
    expect(finding.location).toBeUndefined(); // no application frame: the span starts inside mysql2
    expect(finding.count).toBeGreaterThan(0);
    expect(finding.message).toMatch(/<- TCPWRAP \d+ created under 'request'.*Inside mysql2\./);
    expect(finding.fix).toMatch(/^mysql2's pool runs a queued query in the context of the connection's previous user .*await pool\.getConnection\(\)/);
    expect(instrumented.get('mysql2-pool-get-connection')).toEqual({ scenario: 'mysql2-pool-get-connection', findings: [], marked: 0 });
  });

  test('async.queue: jobs run in the timer of the job before, created under the first request; binding the job is the fix', () => {
    const finding = only(instrumented, 'async-queue');
    expect(finding).toMatchObject({ kind: 'leaked_context', spanName: 'queued job', resourceType: 'Timeout', resourceSpan: 'request', count: 3 });
    expect(finding.fix).toMatch(/context\.bind\(context\.active\(\), callback\)/);
    expect(instrumented.get('async-queue-bound')).toEqual({ scenario: 'async-queue-bound', findings: [], marked: 0 });
  });

  test('an EventEmitter fired from a start-up timer: listeners run under the start-up span; binding the listener is the fix', () => {
    const finding = only(instrumented, 'emitter-startup-timer');
    expect(finding).toMatchObject({ kind: 'leaked_context', spanName: 'on tick', resourceType: 'Timeout', resourceSpan: 'startup', count: 3 });
    expect(finding.message).toMatch(/called by an EventEmitter/);
    expect(finding.fix).toMatch(/^bind the listener .*emitter\.on\(event, context\.bind\(context\.active\(\), listener\)\)/);
    expect(instrumented.get('emitter-startup-timer-bound')).toEqual({ scenario: 'emitter-startup-timer-bound', findings: [], marked: 0 });
  });

  test('context.with(ROOT_CONTEXT) around a query: lost, in the timer created under the request; keeping the context is the fix', () => {
    const { findings } = instrumented.get('root-context-query')!;
    const lost = findings.filter((f) => f.kind === 'lost_context');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ spanName: 'pg-pool.connect', resourceType: 'Timeout', resourceSpan: 'request', count: 3 });
    expect(lost[0].location).toMatch(APP_FRAME);
    expect(lost[0].fix).toMatch(/no context\.with\(ROOT_CONTEXT, \.\.\.\) around pg-pool/);
    expect(instrumented.get('root-context-query-fixed')).toEqual({ scenario: 'root-context-query-fixed', findings: [], marked: 0 });
  });

  test.each(CORRECT)('no false report: %s', (scenario) => {
    expect(instrumented.get(scenario)).toEqual({ scenario, findings: [], marked: 0 });
  });
});
