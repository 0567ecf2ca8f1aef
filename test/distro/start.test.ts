/**
 * start() in process: the variables that SDK components read (resource,
 * sampler, OTLP exporter settings), the propagators, the log level, the engine,
 * lifecycle events, the OTLP protocols against real receivers, and shutdown().
 * A bad value is reported once through diag and the default is used.
 */
import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import { join } from 'node:path';
import { start } from '../../src/distro/index';
import { runNode, useOtlpReceiver } from '../e2e/helpers';
import { startGrpcReceiver } from './grpc-receiver';
import { capturingLogger, recordSpan, testOptions, withDistro, withEnv } from './helpers';

describe('resource', () => {
  it('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES; the serviceName option wins', async () => {
    await withEnv({ OTEL_SERVICE_NAME: 'from-env', OTEL_RESOURCE_ATTRIBUTES: 'team=core,label=a%2Cb,service.name=attr' }, async () => {
      const o = testOptions({ diagLogger: null });
      await withDistro(o, async (d) => {
        const [span] = await recordSpan(d, o.memory);
        expect(span!.resource.attributes).toEqual(expect.objectContaining({ 'service.name': 'from-env', team: 'core', label: 'a,b' }));
      });
      const o2 = testOptions({ diagLogger: null, serviceName: 'from-option', resourceAttributes: { team: 'edge' } });
      await withDistro(o2, async (d) => {
        const [span] = await recordSpan(d, o2.memory);
        expect(span!.resource.attributes).toEqual(expect.objectContaining({ 'service.name': 'from-option', team: 'edge' }));
      });
    });
  });

  it('a malformed OTEL_RESOURCE_ATTRIBUTES: reported once, ignored', async () => {
    const logger = capturingLogger();
    await withEnv({ OTEL_RESOURCE_ATTRIBUTES: 'novalue' }, async () => {
      const o = testOptions({ diagLogger: logger });
      await withDistro(o, async (d) => {
        const [span] = await recordSpan(d, o.memory);
        expect(span!.resource.attributes['service.name']).toMatch(/^unknown_service/);
      });
    });
    expect(logger.messages.filter((m) => /OTEL_RESOURCE_ATTRIBUTES/.test(m))).toHaveLength(1);
  });
});

describe('a bad value of a variable the distribution reads: one diag report, the default used', () => {
  it.each<[Record<string, string>, RegExp, (d: ReturnType<typeof start>) => unknown, unknown]>([
    [{ OTEL_SDK_DISABLED: 'maybe' }, /OTEL_SDK_DISABLED/, (d) => d.enabled, true],
    [{ OTEL_LOG_LEVEL: 'loud' }, /OTEL_LOG_LEVEL/, (d) => d.config?.logLevel, DiagLogLevel.INFO],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /OTEL_TRACES_EXPORTER/, (d) => d.config?.exporters, ['console']],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'smoke', OTEL_TRACES_EXPORTER: 'otlp' }, /OTEL_EXPORTER_OTLP_PROTOCOL/, (d) => d.config?.protocol, 'http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue', OTEL_TRACES_EXPORTER: 'otlp' }, /OTEL_EXPORTER_OTLP_HEADERS/, (d) => d.config?.exporters, ['otlp']],
    [{ OTEL_PROPAGATORS: 'b3' }, /OTEL_PROPAGATORS/, () => propagation.fields(), ['traceparent', 'tracestate', 'baggage']],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: 'big' }, /OTEL_BSP_MAX_QUEUE_SIZE/, (d) => d.config?.batch.maxQueueSize, 2048],
    [{ OTEL_BSP_SCHEDULE_DELAY: '-1' }, /OTEL_BSP_SCHEDULE_DELAY/, (d) => d.config?.batch.scheduledDelayMillis, 5000],
    [{ OTEL_BSP_EXPORT_TIMEOUT: 'x' }, /OTEL_BSP_EXPORT_TIMEOUT/, (d) => d.config?.batch.exportTimeoutMillis, 30000],
    [{ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0' }, /OTEL_BSP_MAX_EXPORT_BATCH_SIZE/, (d) => d.config?.batch.maxExportBatchSize, 512],
    [{ OTEL_ASYNC_CONTEXT_ENGINE: 'fast' }, /OTEL_ASYNC_CONTEXT_ENGINE/, (d) => d.config?.engine, 'native'],
    [{ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'yes' }, /OTEL_ASYNC_CONTEXT_LIFECYCLE/, (d) => d.enabled, true],
  ])('%j', async (env, reported, pick, expected) => {
    const logger = capturingLogger();
    await withEnv(env, () =>
      withDistro({ defaultInstrumentations: false, shutdown: false, diagLogger: logger, consoleStream: { write: () => true } as never }, (d) => {
        expect(pick(d)).toEqual(expected);
      }),
    );
    expect(logger.messages.filter((m) => reported.test(m))).toHaveLength(1);
  });
});

describe('sampler (read by the SDK)', () => {
  it.each([
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 0],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, 0],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 0],
    [{ OTEL_TRACES_SAMPLER: 'always_on' }, 1],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }, 1],
  ])('%j records %d span(s)', async (env, count) => {
    await withEnv(env, async () => {
      const o = testOptions({ diagLogger: null });
      await withDistro(o, async (d) => expect(await recordSpan(d, o.memory)).toHaveLength(count));
    });
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER\b/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, /OTEL_TRACES_SAMPLER_ARG/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }, /OTEL_TRACES_SAMPLER_ARG/],
  ])('%j: reported once, the default (everything sampled)', async (env, reported) => {
    const logger = capturingLogger();
    await withEnv(env, async () => {
      const o = testOptions({ diagLogger: logger });
      await withDistro(o, async (d) => expect(await recordSpan(d, o.memory)).toHaveLength(1));
    });
    expect(logger.messages.filter((m) => reported.test(m))).toHaveLength(1);
  });

  it('the sampler option wins', async () => {
    await withEnv({ OTEL_TRACES_SAMPLER: 'always_on' }, async () => {
      const o = testOptions({ diagLogger: null, sampler: new AlwaysOffSampler() });
      await withDistro(o, async (d) => expect(await recordSpan(d, o.memory)).toHaveLength(0));
    });
  });
});

describe('propagators, log level, engine, lifecycle', () => {
  it.each([
    [undefined, ['traceparent', 'tracestate', 'baggage']],
    ['tracecontext', ['traceparent', 'tracestate']],
    ['baggage', ['baggage']],
    ['none', []],
  ])('OTEL_PROPAGATORS=%s', async (value, fields) => {
    await withEnv({ OTEL_PROPAGATORS: value }, () =>
      withDistro(testOptions({ diagLogger: null }), () => expect(propagation.fields()).toEqual(fields)),
    );
  });

  it('OTEL_LOG_LEVEL=error hides warnings; debug shows debug messages', async () => {
    const quiet = capturingLogger();
    await withEnv({ OTEL_LOG_LEVEL: 'error', OTEL_BSP_MAX_QUEUE_SIZE: 'big' }, () => withDistro(testOptions({ diagLogger: quiet }), () => {}));
    expect(quiet.all).toEqual([]);
    const loud = capturingLogger();
    await withEnv({ OTEL_LOG_LEVEL: 'debug' }, () => withDistro(testOptions({ diagLogger: loud }), (d) => expect(d.config?.logLevel).toBe(DiagLogLevel.DEBUG)));
    expect(loud.all.length).toBeGreaterThan(0);
  });

  it.each(['native', 'hooks'])('OTEL_ASYNC_CONTEXT_ENGINE=%s: the context follows a timer', async (engine) => {
    await withEnv({ OTEL_ASYNC_CONTEXT_ENGINE: engine }, () =>
      withDistro(testOptions({ diagLogger: null }), async (d) => {
        expect(d.config?.engine).toBe(engine);
        const key = Symbol('k');
        const seen = await context.with(ROOT_CONTEXT.setValue(key, engine), () => new Promise((r) => setTimeout(() => r(context.active().getValue(key)), 1)));
        expect(seen).toBe(engine);
      }),
    );
  });

  it('OTEL_ASYNC_CONTEXT_LIFECYCLE=true, _MODE=full: spans carry async resource events', async () => {
    await withEnv({ OTEL_ASYNC_CONTEXT_LIFECYCLE: 'true', OTEL_ASYNC_CONTEXT_LIFECYCLE_MODE: 'full' }, async () => {
      const o = testOptions({ diagLogger: null });
      await withDistro(o, async (d) => {
        await trace.getTracer('t').startActiveSpan('timer', async (span) => {
          await new Promise((r) => setTimeout(r, 1));
          span.end();
        });
        await d.forceFlush();
        const [span] = o.memory.getFinishedSpans();
        expect(span!.events.map((e) => e.name)).toContain('async.init');
        expect(span!.events.find((e) => e.name === 'async.init')?.attributes?.['async.type']).toBe('Timeout');
      });
    });
  });
});

describe('OTLP exporter settings, against real receivers', () => {
  const receiver = useOtlpReceiver();

  /** Exports one span from a child process started with `env` (and `options`); returns its diag output. */
  const otlpRun = async (env: Record<string, string>, options: object = {}): Promise<{ messages: string[]; all: string[] }> => {
    const run = await runNode([join(__dirname, 'fixtures', 'export-one-span.js'), JSON.stringify(options)], env);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    return JSON.parse(run.stdout.trim().split('\n').pop()!);
  };

  it('OTEL_EXPORTER_OTLP_ENDPOINT (http/protobuf by default), headers, gzip; header values never logged', async () => {
    const logger = await otlpRun({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cr3t-value,oops',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_LOG_LEVEL: 'all',
    });
    expect(receiver().spans.map((s) => s.name)).toEqual(['exported']);
    expect(receiver().requests[0]).toEqual(expect.objectContaining({ contentType: 'application/x-protobuf', contentEncoding: 'gzip' }));
    expect(receiver().requests[0]!.headers['x-api-key']).toBe('s3cr3t-value');
    expect(logger.messages.filter((m) => /OTEL_EXPORTER_OTLP_HEADERS/.test(m))).toHaveLength(1);
    expect(logger.all.length).toBeGreaterThan(0);
    expect(logger.all.filter((m) => m.includes('s3cr3t'))).toEqual([]);
  });

  it('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (a full URL) and http/json; the otlp options win', async () => {
    await otlpRun({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver().endpoint}/v1/traces`, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' });
    expect(receiver().requests.map((r) => r.contentType)).toEqual(['application/json']);
    expect(receiver().spans.map((s) => s.name)).toEqual(['exported']);
    receiver().clear();
    await otlpRun(
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      { otlp: { endpoint: `${receiver().endpoint}/v1/traces`, protocol: 'http/protobuf', headers: { 'x-from': 'option' } } },
    );
    expect(receiver().requests.map((r) => [r.contentType, r.headers['x-from']])).toEqual([['application/x-protobuf', 'option']]);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' }, /OTEL_EXPORTER_OTLP_TIMEOUT/],
    [{ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '-1' }, /OTEL_EXPORTER_OTLP_TRACES_TIMEOUT/],
    [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'zip' }, /OTEL_EXPORTER_OTLP_COMPRESSION/],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'smoke' }, /OTEL_EXPORTER_OTLP_PROTOCOL/],
  ])('%j: reported once, the default used, spans still exported', async (env, reported) => {
    const logger = await otlpRun({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver().endpoint });
    expect(logger.messages.filter((m) => reported.test(m))).toHaveLength(1);
    expect(receiver().spans.map((s) => s.name)).toEqual(['exported']);
  });

  it('OTEL_EXPORTER_OTLP_PROTOCOL=grpc, with OTEL_EXPORTER_OTLP_HEADERS as metadata', async () => {
    const grpcReceiver = await startGrpcReceiver();
    try {
      await otlpRun({ OTEL_EXPORTER_OTLP_ENDPOINT: grpcReceiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k1' });
      expect(grpcReceiver.spans.map((s) => s.name)).toEqual(['exported']);
      expect(grpcReceiver.metadata[0]!.get('x-api-key')).toEqual(['k1']);
    } finally {
      await grpcReceiver.close();
    }
  });
});

describe('shutdown() and the global registrations', () => {
  it('is idempotent, removes its handlers and unregisters the globals', async () => {
    const events = ['SIGTERM', 'SIGINT', 'beforeExit', 'exit'];
    const before = events.map((e) => process.listenerCount(e));
    const d = start({ exporters: ['none'], defaultInstrumentations: false, diagLogger: null });
    expect(events.map((e) => process.listenerCount(e))).toEqual(before.map((n) => n + 1));
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(true);
    const first = d.shutdown();
    expect(d.shutdown()).toBe(first);
    await first;
    expect(events.map((e) => process.listenerCount(e))).toEqual(before);
    expect(trace.getTracer('t').startSpan('s').isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
  });

  it('takes away the diag logger that start() installed', async () => {
    const logger = capturingLogger();
    const d = start({ exporters: ['none'], defaultInstrumentations: false, shutdown: false, diagLogger: logger });
    diag.warn('while started');
    await d.shutdown();
    diag.warn('after shutdown');
    expect(logger.messages).toEqual(['while started']);
  });
});
