/**
 * What the distribution does with hostile or broken input, seen from outside
 * the process: a service started with NODE_OPTIONS=--require <register> and no
 * tracing code (fixtures/json-service.js), whose standard output is one JSON
 * object that a parent reads.
 *
 * - stdout belongs to the app: the trace tree and every diagnostic go to stderr,
 *   with the console exporter and with a collector that is down;
 * - the terminal is safe: ESC, CR, LF from a request body (span name, attribute,
 *   event, exception and status message) reach stderr only as visible escapes;
 * - secrets never print, at any log level: gRPC metadata that grpc-js refuses,
 *   a working gRPC header, an endpoint that does not parse with user:password;
 *   the service starts and serves every time;
 * - timer values beyond 2^31-1 and negative or infinite span limits: one
 *   diagnostic each, the default used (no TimeoutOverflowWarning).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ENGINES } from '../engines';
import { ensureBuilt, ROOT, runNode, type Run } from '../e2e/helpers';
import { startGrpcReceiver } from './grpc-receiver';

const REGISTER = join(ROOT, 'dist', 'cjs', 'register.js');
const SERVICE = join(__dirname, 'fixtures', 'json-service.js');
const HOSTILE = '\x1b[31mRED\x1b[0m\r\nforged line\x07\x9b2J\u202eevil';
/** Any control character but the line feeds that end lines. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/;

function service(env: Record<string, string>): Promise<Run> {
  return runNode([SERVICE], { NODE_OPTIONS: `--require ${REGISTER}`, ...env }, 30_000);
}

/** The service answered, and its stdout is exactly its one JSON line. */
function expectServed(run: Run, body = 'plain'): void {
  expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
  expect(run.stdout.endsWith('\n') && run.stdout.indexOf('\n') === run.stdout.length - 1).toBe(true);
  expect(JSON.parse(run.stdout)).toEqual({ status: 200, echo: { echoed: body.length } });
}

const lines = (text: string, pattern: RegExp) => text.split('\n').filter((l) => pattern.test(l));

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(() => ensureBuilt());

describe.each(ENGINES)('stdout belongs to the app; the terminal is safe (%s engine)', (engine) => {
  it('console tree: stdout is the JSON alone; the hostile body reaches stderr escaped', async () => {
    const run = await service({ HOSTILE_BODY: HOSTILE, OTEL_ASYNC_CONTEXT_ENGINE: engine });
    expectServed(run, HOSTILE);
    expect(run.stderr).toMatch(/── trace [0-9a-f]{32}/);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    // Where the body shows (span name, attribute, event, exception, status), it is escaped.
    expect(run.stderr).toContain('handle \\x1b[31mRED\\x1b[0m\\r\\nforged line\\x07\\x9b2J\\u202eevil');
    expect(run.stderr).toMatch(/ERROR \\x1b\[31mRED/);
    expect(run.stderr).toMatch(/· exception .*exception\.message=\\x1b\[31mRED/);
    expect(lines(run.stderr, /^forged/)).toEqual([]);
  });

  it('collector down: stdout is still the JSON alone; the diagnostics are on stderr', async () => {
    const run = await service({
      HOSTILE_BODY: HOSTILE,
      OTEL_ASYNC_CONTEXT_ENGINE: engine,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '300',
    });
    expectServed(run, HOSTILE);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('secrets never print, at any log level', () => {
  it.each(['debug', 'all'])('gRPC metadata that grpc-js refuses (OTEL_LOG_LEVEL=%s): one diagnostic, the service serves', async (level) => {
    const run = await service({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer SECRETé',
      OTEL_LOG_LEVEL: level,
    });
    expectServed(run);
    expect(run.stdout + run.stderr).not.toMatch(/SECRET/);
    expect(lines(run.stderr, /OTEL_EXPORTER_OTLP_HEADERS/)).toEqual([
      "otel-async-context: OTEL_EXPORTER_OTLP_HEADERS: header 'authorization' cannot be sent as gRPC metadata (its name or value has characters grpc does not allow); the OTLP exporter is off",
    ]);
  });

  it('a working gRPC header at OTEL_LOG_LEVEL=all: the collector gets it, the output never shows it', async () => {
    const receiver = await startGrpcReceiver();
    try {
      const run = await service({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20SECRETtoken123',
        OTEL_LOG_LEVEL: 'all',
      });
      expectServed(run);
      expect(receiver.spans.map((s) => s.name)).toEqual(expect.arrayContaining(['handle plain']));
      expect(receiver.metadata[0]!.get('authorization')).toEqual(['Bearer SECRETtoken123']);
      expect(run.stdout + run.stderr).not.toMatch(/SECRETtoken123/);
      expect(run.stderr).toMatch(/@opentelemetry\/api: Registered a global for trace/); // debug output was on
    } finally {
      await receiver.close();
    }
  });

  it.each(['http/protobuf', 'http/json', 'grpc'])('an endpoint that does not parse, with user:password (%s): one diagnostic, no password', async (protocol) => {
    const run = await service({
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:pa55word@[bad',
      OTEL_LOG_LEVEL: 'all',
    });
    expectServed(run);
    expect(run.stdout + run.stderr).not.toMatch(/pa55word/);
    expect(lines(run.stderr, /OTEL_EXPORTER_OTLP_ENDPOINT/)).toEqual([
      "otel-async-context: OTEL_EXPORTER_OTLP_ENDPOINT is not a URL ('http://collector:***@[bad'); the OTLP exporter is off",
    ]);
  });

  it('an endpoint with user:password and a header, collector down, OTEL_LOG_LEVEL=all: neither prints', async () => {
    const run = await service({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://collector:pa55word@127.0.0.1:${await closedPort()}`,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=SECRETkey456',
      OTEL_EXPORTER_OTLP_TIMEOUT: '300',
      OTEL_LOG_LEVEL: 'all',
    });
    expectServed(run);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(run.stdout + run.stderr).not.toMatch(/pa55word|SECRETkey456/);
  });
});

describe('timers beyond 2^31-1 and bad span limits', () => {
  it('one diagnostic per variable, no TimeoutOverflowWarning, the service serves', async () => {
    const bad = {
      OTEL_BSP_SCHEDULE_DELAY: '99999999999',
      OTEL_BSP_EXPORT_TIMEOUT: '99999999999',
      OTEL_EXPORTER_OTLP_TIMEOUT: '99999999999',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '-1',
      OTEL_SPAN_EVENT_COUNT_LIMIT: 'Infinity',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '-5',
    };
    const run = await service({ ...bad, OTEL_TRACES_EXPORTER: 'console' });
    expectServed(run);
    for (const name of Object.keys(bad)) expect([name, lines(run.stderr, new RegExp(`\\b${name}\\b`)).length]).toEqual([name, 1]);
    expect(run.stderr).not.toMatch(/TimeoutOverflowWarning/);
    // The limits in force are the defaults: the span keeps its attributes and events.
    expect(run.stderr).toMatch(/· exception .*exception\.message=plain/);
  });
});
