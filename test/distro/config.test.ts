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
      shutdown: { signals: ['SIGTERM', 'SIGINT'], timeoutMillis: 2000, beforeExit: true },
      limits: {
        generalLimits: { attributeCountLimit: 128, attributeValueLengthLimit: Infinity },
        spanLimits: {
          attributeCountLimit: 128, attributeValueLengthLimit: Infinity, linkCountLimit: 128, eventCountLimit: 128,
          attributePerEventCountLimit: 128, attributePerLinkCountLimit: 128,
        },
      },
      otlpTimeoutMillis: undefined,
      consoleFile: undefined,
      diagnose: false,
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
    ['OTEL_BSP_* timers at 2^31-1', { OTEL_BSP_SCHEDULE_DELAY: '2147483647', OTEL_BSP_EXPORT_TIMEOUT: '2147483647' }, (c) => [c.batch.scheduledDelayMillis, c.batch.exportTimeoutMillis], [2147483647, 2147483647]],
    ['span limits, 0 included', { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '0', OTEL_SPAN_EVENT_COUNT_LIMIT: '5', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '20' }, (c) => [c.limits.spanLimits.attributeCountLimit, c.limits.spanLimits.eventCountLimit, c.limits.spanLimits.attributeValueLengthLimit], [0, 5, 20]],
    ['OTEL_EXPORTER_OTLP_TIMEOUT in range is the exporter\'s', { OTEL_EXPORTER_OTLP_TIMEOUT: '2147483647' }, (c) => c.otlpTimeoutMillis, undefined],
    ['HTTP headers may hold Latin-1 (as Node allows)', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer s3cr3té,x-b=1' }, (c) => c.exporters, ['otlp']],
    ['gRPC takes host:port', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4317' }, (c) => c.exporters, ['otlp']],
    ['OTEL_ASYNC_CONTEXT_CONSOLE_FILE', { OTEL_ASYNC_CONTEXT_CONSOLE_FILE: '/tmp/trees.log' }, (c) => c.consoleFile, '/tmp/trees.log'],
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
    [{ OTEL_BSP_SCHEDULE_DELAY: '99999999999' }, /OTEL_BSP_SCHEDULE_DELAY must be an integer from 0 to 2147483647/, (c) => c.batch.scheduledDelayMillis, 5000],
    [{ OTEL_BSP_EXPORT_TIMEOUT: '2147483648' }, /OTEL_BSP_EXPORT_TIMEOUT/, (c) => c.batch.exportTimeoutMillis, 30000],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: '99999999999' }, /OTEL_EXPORTER_OTLP_TIMEOUT must be at most 2147483647/, (c) => c.otlpTimeoutMillis, 10000],
    [{ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1e12' }, /OTEL_EXPORTER_OTLP_TRACES_TIMEOUT/, (c) => c.otlpTimeoutMillis, 10000],
    [{ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-1' }, /OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT must be an integer >= 0/, (c) => c.limits.spanLimits.attributeCountLimit, 128],
    [{ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-1', OTEL_ATTRIBUTE_COUNT_LIMIT: '9' }, /OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT.*using 9/, (c) => c.limits.spanLimits.attributeCountLimit, 9],
    [{ OTEL_SPAN_EVENT_COUNT_LIMIT: 'Infinity' }, /OTEL_SPAN_EVENT_COUNT_LIMIT/, (c) => c.limits.spanLimits.eventCountLimit, 128],
    [{ OTEL_SPAN_LINK_COUNT_LIMIT: '1.5' }, /OTEL_SPAN_LINK_COUNT_LIMIT/, (c) => c.limits.spanLimits.linkCountLimit, 128],
    [{ OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '-Infinity' }, /OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT.*no limit/, (c) => c.limits.spanLimits.attributeValueLengthLimit, Infinity],
    [{ OTEL_ATTRIBUTE_COUNT_LIMIT: '-5' }, /OTEL_ATTRIBUTE_COUNT_LIMIT/, (c) => [c.limits.generalLimits.attributeCountLimit, c.limits.spanLimits.attributeCountLimit], [128, 128]],
    [{ OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT: 'x' }, /OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT/, (c) => c.limits.spanLimits.attributePerEventCountLimit, 128],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:pa55word@[bad' }, /OTEL_EXPORTER_OTLP_ENDPOINT is not a URL \('http:\/\/user:\*\*\*@\[bad'\); the OTLP exporter is off/, (c) => c.exporters, []],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector/v1/traces', OTEL_TRACES_EXPORTER: 'otlp,console' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http/, (c) => c.exporters, ['console']],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://[::1' }, /OTEL_EXPORTER_OTLP_ENDPOINT is not a URL/, (c) => c.exporters, []],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer s3cr3té', OTEL_TRACES_EXPORTER: 'otlp' }, /OTEL_EXPORTER_OTLP_HEADERS: header 'authorization' cannot be sent as gRPC metadata.*the OTLP exporter is off/, (c) => c.exporters, []],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'key-bin=abc', OTEL_TRACES_EXPORTER: 'otlp' }, /OTEL_EXPORTER_OTLP_TRACES_HEADERS: header 'key-bin'/, (c) => c.exporters, []],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'Bad Key=v', OTEL_TRACES_EXPORTER: 'otlp' }, /header 'Bad Key' cannot be sent as an HTTP header/, (c) => c.exporters, []],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'x-injected=a%0D%0AHost: evil', OTEL_TRACES_EXPORTER: 'otlp,console' }, /header 'x-injected' cannot be sent as an HTTP header/, (c) => c.exporters, ['console']],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=%zz' }, /OTEL_EXPORTER_OTLP_HEADERS: entry 2 is not key=value \(percent-encoded\)/, (c) => c.exporters, ['console']],
    [{ OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT: '0' }, /OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT/, (c) => c.shutdown && c.shutdown.timeoutMillis, 2000],
    [{ OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT: '99999999999' }, /OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT/, (c) => c.shutdown && c.shutdown.timeoutMillis, 2000],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, /OTEL_EXPORTER_OTLP_HEADERS: entry 1/, (c) => c.exporters, ['console']],
    [{ OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'a=1,=2' }, /OTEL_EXPORTER_OTLP_TRACES_HEADERS: entry 2/, (c) => c.exporters, ['console']],
  ])('%j', (env, reported, pick, expected) => {
    const { config, problems } = read(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(reported);
    expect(pick(config)).toEqual(expected);
  });

  it('never shows the password of an endpoint, parsed or not', () => {
    for (const endpoint of ['http://u:pa55word@[bad', 'user:pa55word@[bad', 'http://u:pa55word@host:notaport', 'ftp://u:pa55word@host/']) {
      const { problems } = read({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      expect(problems).toHaveLength(1);
      expect(problems[0]).not.toMatch(/pa55word/);
    }
  });

  it('never shows a header value, even one that cannot be sent', () => {
    for (const env of [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_HEADERS: 'a=s3cr3té' }, { OTEL_EXPORTER_OTLP_HEADERS: 'a=s3cr3t%0A' }]) {
      const { problems } = read({ ...env, OTEL_TRACES_EXPORTER: 'otlp' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).not.toMatch(/s3cr3t/);
    }
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
    ['shutdown.timeoutMillis', { shutdown: { timeoutMillis: 50 } }, { OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT: '700' }, (c) => c.shutdown && c.shutdown.timeoutMillis, 50],
    ['(OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT alone)', {}, { OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT: '700' }, (c) => c.shutdown && c.shutdown.timeoutMillis, 700],
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
