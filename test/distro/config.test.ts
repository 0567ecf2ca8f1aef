/**
 * readConfig(): every variable the distribution reads itself, from the
 * environment and from options (options win); a bad value gives exactly one
 * problem and the default.
 */
import { DiagLogLevel } from '@opentelemetry/api';
import { readConfig, type Env } from '../../src/distro/config';
import type { StartOptions } from '../../src/distro/options';

const read = (env: Env, options: StartOptions = {}) => readConfig(options, env);

describe('defaults', () => {
  it('with nothing set', () => {
    const { config, problems } = read({});
    expect(problems).toEqual([]);
    expect(config).toEqual({
      disabled: false,
      logLevel: DiagLogLevel.INFO,
      exporters: ['console'],
      consoleByDefault: true,
      protocol: 'http/protobuf',
      propagators: ['tracecontext', 'baggage'],
      batch: { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: 30000 },
      engine: 'native',
      shutdown: { signals: ['SIGTERM', 'SIGINT'], timeoutMillis: 5000, beforeExit: true },
    });
  });
});

describe('good values', () => {
  it.each<[string, Env, (c: ReturnType<typeof read>['config']) => unknown, unknown]>([
    ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'TRUE' }, (c) => c.disabled, true],
    ['OTEL_SDK_DISABLED=false', { OTEL_SDK_DISABLED: 'false' }, (c) => c.disabled, false],
    ['OTEL_LOG_LEVEL=debug', { OTEL_LOG_LEVEL: 'debug' }, (c) => c.logLevel, DiagLogLevel.DEBUG],
    ['OTEL_LOG_LEVEL=none', { OTEL_LOG_LEVEL: 'NONE' }, (c) => c.logLevel, DiagLogLevel.NONE],
    ['OTEL_TRACES_EXPORTER=otlp', { OTEL_TRACES_EXPORTER: 'otlp' }, (c) => c.exporters, ['otlp']],
    ['OTEL_TRACES_EXPORTER=console', { OTEL_TRACES_EXPORTER: 'console' }, (c) => c.exporters, ['console']],
    ['OTEL_TRACES_EXPORTER=none', { OTEL_TRACES_EXPORTER: 'none' }, (c) => c.exporters, []],
    ['OTEL_TRACES_EXPORTER=otlp,console', { OTEL_TRACES_EXPORTER: 'otlp, console' }, (c) => c.exporters, ['otlp', 'console']],
    ['OTEL_EXPORTER_OTLP_ENDPOINT makes otlp the default', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, (c) => [c.exporters, c.consoleByDefault], [['otlp'], false]],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT too', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, (c) => c.exporters, ['otlp']],
    ['OTEL_EXPORTER_OTLP_PROTOCOL=grpc', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, (c) => c.protocol, 'grpc'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL=http/json', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, (c) => c.protocol, 'http/json'],
    ['the TRACES_ protocol wins', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' }, (c) => c.protocol, 'http/json'],
    ['OTEL_PROPAGATORS=tracecontext', { OTEL_PROPAGATORS: 'tracecontext' }, (c) => c.propagators, ['tracecontext']],
    ['OTEL_PROPAGATORS=baggage,tracecontext', { OTEL_PROPAGATORS: 'baggage,tracecontext' }, (c) => c.propagators, ['baggage', 'tracecontext']],
    ['OTEL_PROPAGATORS=none', { OTEL_PROPAGATORS: 'none' }, (c) => c.propagators, []],
    ['OTEL_BSP_*', { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10', OTEL_BSP_SCHEDULE_DELAY: '0', OTEL_BSP_EXPORT_TIMEOUT: '250' }, (c) => c.batch, { maxQueueSize: 100, maxExportBatchSize: 10, scheduledDelayMillis: 0, exportTimeoutMillis: 250 }],
    ['OTEL_ASYNC_CONTEXT_ENGINE=hooks', { OTEL_ASYNC_CONTEXT_ENGINE: 'hooks' }, (c) => c.engine, 'hooks'],
    ['empty means unset', { OTEL_TRACES_EXPORTER: ' ', OTEL_LOG_LEVEL: '' }, (c) => [c.exporters, c.logLevel], [['console'], DiagLogLevel.INFO]],
  ])('%s', (_name, env, pick, expected) => {
    const { config, problems } = read(env);
    expect(problems).toEqual([]);
    expect(pick(config)).toEqual(expected);
  });
});

describe('a bad value: one problem, the default used', () => {
  it.each<[Env, RegExp, (c: ReturnType<typeof read>['config']) => unknown, unknown]>([
    [{ OTEL_SDK_DISABLED: 'maybe' }, /OTEL_SDK_DISABLED/, (c) => c.disabled, false],
    [{ OTEL_LOG_LEVEL: 'loud' }, /OTEL_LOG_LEVEL/, (c) => c.logLevel, DiagLogLevel.INFO],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /OTEL_TRACES_EXPORTER.*'zipkin'/, (c) => c.exporters, ['console']],
    [{ OTEL_TRACES_EXPORTER: 'zipkin,otlp' }, /OTEL_TRACES_EXPORTER.*'zipkin'/, (c) => c.exporters, ['otlp']],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'smoke' }, /OTEL_EXPORTER_OTLP_PROTOCOL/, (c) => c.protocol, 'http/protobuf'],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'udp' }, /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL/, (c) => c.protocol, 'http/protobuf'],
    [{ OTEL_PROPAGATORS: 'b3' }, /OTEL_PROPAGATORS.*'b3'/, (c) => c.propagators, ['tracecontext', 'baggage']],
    [{ OTEL_PROPAGATORS: 'b3,baggage' }, /OTEL_PROPAGATORS.*'b3'/, (c) => c.propagators, ['baggage']],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: 'big' }, /OTEL_BSP_MAX_QUEUE_SIZE/, (c) => c.batch.maxQueueSize, 2048],
    [{ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0' }, /OTEL_BSP_MAX_EXPORT_BATCH_SIZE/, (c) => c.batch.maxExportBatchSize, 512],
    [{ OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100' }, /OTEL_BSP_MAX_EXPORT_BATCH_SIZE/, (c) => c.batch.maxExportBatchSize, 10],
    [{ OTEL_BSP_SCHEDULE_DELAY: '-1' }, /OTEL_BSP_SCHEDULE_DELAY/, (c) => c.batch.scheduledDelayMillis, 5000],
    [{ OTEL_BSP_EXPORT_TIMEOUT: '1.5' }, /OTEL_BSP_EXPORT_TIMEOUT/, (c) => c.batch.exportTimeoutMillis, 30000],
    [{ OTEL_ASYNC_CONTEXT_ENGINE: 'fast' }, /OTEL_ASYNC_CONTEXT_ENGINE/, (c) => c.engine, 'native'],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, /OTEL_EXPORTER_OTLP_HEADERS: entry 1/, (c) => c.exporters, ['console']],
    [{ OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'a=1,=2' }, /OTEL_EXPORTER_OTLP_TRACES_HEADERS: entry 2/, (c) => c.exporters, ['console']],
  ])('%j', (env, reported, pick, expected) => {
    const { config, problems } = read(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(reported);
    expect(pick(config)).toEqual(expected);
  });

  it('never shows a header value', () => {
    const { problems } = read({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr3t,broken-s3cr3t' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toMatch(/s3cr3t/);
  });
});

describe('options override the environment', () => {
  it.each<[string, StartOptions, Env, (c: ReturnType<typeof read>['config']) => unknown, unknown]>([
    ['exporters', { exporters: ['none'] }, { OTEL_TRACES_EXPORTER: 'otlp' }, (c) => c.exporters, []],
    ['otlp.protocol', { otlp: { protocol: 'grpc' } }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, (c) => c.protocol, 'grpc'],
    ['otlp.endpoint makes otlp the default', { otlp: { endpoint: 'http://127.0.0.1:4318/v1/traces' } }, {}, (c) => c.exporters, ['otlp']],
    ['propagators', { propagators: ['baggage'] }, { OTEL_PROPAGATORS: 'tracecontext' }, (c) => c.propagators, ['baggage']],
    ['batch', { batch: { maxQueueSize: 7, maxExportBatchSize: 7 } }, { OTEL_BSP_MAX_QUEUE_SIZE: '100' }, (c) => [c.batch.maxQueueSize, c.batch.maxExportBatchSize], [7, 7]],
    ['logLevel', { logLevel: DiagLogLevel.ERROR }, { OTEL_LOG_LEVEL: 'debug' }, (c) => c.logLevel, DiagLogLevel.ERROR],
    ['engine', { engine: 'hooks' }, { OTEL_ASYNC_CONTEXT_ENGINE: 'native' }, (c) => c.engine, 'hooks'],
    ['disabled', { disabled: false }, { OTEL_SDK_DISABLED: 'true' }, (c) => c.disabled, false],
    ['shutdown', { shutdown: { timeoutMillis: 50 } }, {}, (c) => c.shutdown, { signals: ['SIGTERM', 'SIGINT'], timeoutMillis: 50, beforeExit: true }],
    ['shutdown: false', { shutdown: false }, {}, (c) => c.shutdown, false],
  ])('%s', (_name, options, env, pick, expected) => {
    const { config, problems } = read(env, options);
    expect(problems).toEqual([]);
    expect(pick(config)).toEqual(expected);
  });

  it('a bad variable that an option overrides is not reported', () => {
    expect(read({ OTEL_ASYNC_CONTEXT_ENGINE: 'fast' }, { engine: 'hooks' }).problems).toEqual([]);
  });
});
