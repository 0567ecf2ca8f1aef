/**
 * OTEL_SDK_DISABLED=true (or `disabled: true`): start() is a true no-op. No
 * global is registered, no handler installed, no diag logger set, nothing read
 * beyond the variable itself; `node --require otel-async-context/register`
 * leaves the app exactly as it runs without it.
 */
import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { start } from '../../src/distro/index';
import { ensureBuilt, runNode } from '../e2e/helpers';
import { OtlpReceiver } from '../e2e/otlp-receiver';
import { capturingLogger, withEnv } from './helpers';

const events = ['SIGTERM', 'SIGINT', 'beforeExit'];

it.each([
  ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true' }, {}],
  ['OTEL_SDK_DISABLED=TRUE with bad values elsewhere', { OTEL_SDK_DISABLED: 'TRUE', OTEL_LOG_LEVEL: 'loud', OTEL_TRACES_SAMPLER: 'x' }, {}],
  ['disabled: true', {}, { disabled: true, engine: 'fast' }],
])('%s: nothing registered, installed or reported', async (_name, env, options) => {
  const logger = capturingLogger();
  diag.setLogger(logger, DiagLogLevel.ALL);
  logger.all.length = 0; // the API's own "Registered a global for diag"
  try {
    const listeners = events.map((e) => process.listenerCount(e));
    const d = await withEnv(env, () => start(options as never));
    expect([d.enabled, d.config]).toEqual([false, undefined]);
    expect(d.tracerProvider.getTracer('t').startSpan('s').isRecording()).toBe(false);
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
    const key = Symbol('k');
    expect(context.with(ROOT_CONTEXT.setValue(key, 1), () => context.active().getValue(key))).toBeUndefined();
    expect(propagation.fields()).toEqual([]);
    expect(events.map((e) => process.listenerCount(e))).toEqual(listeners);
    await d.forceFlush();
    await d.shutdown();
    expect(logger.all).toEqual([]);
  } finally {
    diag.disable();
  }
});

it('register with OTEL_SDK_DISABLED=true: the app runs untouched, nothing is exported', async () => {
  ensureBuilt();
  const receiver = await OtlpReceiver.start();
  try {
    const run = await runNode(['--require', 'otel-async-context/register', 'examples/request-logger/server.js'], {
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n').sort()).toEqual(['0 trace=-: finish', '0 trace=-: start', '1 trace=-: finish', '1 trace=-: start']);
    expect(receiver.requests).toEqual([]);
  } finally {
    await receiver.close();
  }
});
