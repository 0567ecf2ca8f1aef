/**
 * The pieces that keep secrets and control characters out of what the
 * distribution prints: escapeControl, collectSecrets + Redactor, SafeDiagLogger,
 * the endpoint check, and the output that start() writes diagnostics to.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/distro/config';
import { escapeControl, escapeControlKeepLines } from '../../src/distro/escape-control';
import { createExporters } from '../../src/distro/exporters';
import { otlpEndpointProblem } from '../../src/distro/otlp-endpoint';
import { openOutput } from '../../src/distro/output';
import { SafeDiagLogger } from '../../src/distro/safe-diag-logger';
import { collectSecrets, Redactor } from '../../src/distro/secrets';
import { capturingLogger, testOptions, withDistro, withEnv } from './helpers';

describe('escapeControl', () => {
  it.each([
    ['\x1b[31m', '\\x1b[31m'],
    ['a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['\x00\x07\x7f\x80\x9b\x9f', '\\x00\\x07\\x7f\\x80\\x9b\\x9f'],
    ['\u2028\u2029\u202e\u2066', '\\u2028\\u2029\\u202e\\u2066'],
    ['plain text, é, 漢字, emoji 🙂, box ── │', 'plain text, é, 漢字, emoji 🙂, box ── │'],
  ])('%j -> %j', (raw, shown) => {
    expect(escapeControl(raw)).toBe(shown);
  });

  it('keeps line feeds when asked (stack traces), escapes the rest', () => {
    expect(escapeControlKeepLines('Error: \x1b[2J\n    at x\r')).toBe('Error: \\x1b[2J\n    at x\\r');
  });
});

describe('collectSecrets and Redactor', () => {
  const env = {
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20tok3n-abcdef,x-short=ab,x-tenant=acme-corp',
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'api-key=k3y-ghijkl',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:pa55word@[bad',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://u:p%40ss%2Fword@collector:4318/v1/traces',
  };
  const redactor = new Redactor(collectSecrets(env, { headers: { 'x-opt': 'opt-secret-99' }, endpoint: 'http://o:0pti0n@h:1' }));

  it.each([
    ['a header value, as written and decoded', 'sent Bearer%20tok3n-abcdef / Bearer tok3n-abcdef', 'sent *** / ***'],
    ['the token alone', 'metadata "tok3n-abcdef" refused', 'metadata "***" refused'],
    ['a signal-specific header and an option header', 'k3y-ghijkl opt-secret-99', '*** ***'],
    ['URL passwords that parse, or not', "'http://user:pa55word@[bad' https://u:p%40ss%2Fword@collector http://o:0pti0n@h:1", "'http://user:***@[bad' https://u:***@collector http://o:***@h:1"],
    ['the decoded form of an encoded password', 'p@ss/word', '***'],
    ['any URL password, even one not configured', 'proxy http://bob:hunter22@proxy:3128', 'proxy http://bob:***@proxy:3128'],
  ])('%s', (_what, text, expected) => {
    expect(redactor.redact(text)).toBe(expected);
  });

  it('leaves ordinary text alone: short values and auth scheme names are not searched for', () => {
    expect(redactor.redact('ab Bearer http://host:4318/v1/traces 12:30@noon')).toBe('ab Bearer http://host:4318/v1/traces 12:30@noon');
  });
});

describe('SafeDiagLogger', () => {
  it('formats every argument into one string, redacted and escaped, at every level', () => {
    const sink = capturingLogger();
    const logger = new SafeDiagLogger(sink, new Redactor(['s3cr3t-value']));
    const error = Object.assign(new Error('refused s3cr3t-value \x1b[0m'), { body: '\x1b[2Jbody' });
    for (const level of ['error', 'warn', 'info', 'debug', 'verbose'] as const) logger[level]('config', { headers: { a: 's3cr3t-value' } }, error);
    expect(sink.all).toHaveLength(5);
    for (const line of sink.all) {
      expect(line).toMatch(/^config \{ headers: \{ a: '\*\*\*' \} \} Error: refused \*\*\* \\x1b\[0m\n/);
      expect(line).toMatch(/body: '\\x1b\[2Jbody'/i);
      expect(line).not.toMatch(/s3cr3t|\x1b/);
    }
  });

  it('start() puts it in front of the logger it is given: SDK messages with a header value arrive without it', async () => {
    const logger = capturingLogger();
    await withEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer tok3n-xyz789' }, () =>
      withDistro(testOptions({ diagLogger: logger, logLevel: DiagLogLevel.ALL }), () => {
        diag.debug('exporter config', { headers: { authorization: 'Bearer tok3n-xyz789' } });
        diag.warn(`Header "authorization" has invalid value (Bearer tok3n-xyz789)`);
      }),
    );
    const mine = logger.all.filter((l) => /exporter config|invalid value/.test(l));
    expect(mine).toEqual(["exporter config { headers: { authorization: '***' } }", 'Header "authorization" has invalid value (***)']);
  });
});

describe('otlpEndpointProblem', () => {
  it.each<[string, 'grpc' | 'http/protobuf', RegExp | undefined]>([
    ['http://127.0.0.1:4318', 'http/protobuf', undefined],
    ['https://collector.example/v1/traces', 'http/protobuf', undefined],
    ['127.0.0.1:4317', 'grpc', undefined],
    ['unix:///tmp/otlp.sock', 'grpc', undefined],
    ['localhost:4318', 'http/protobuf', /must be an http:\/\/ or https:\/\/ URL for http\/protobuf/],
    ['127.0.0.1:4318', 'http/protobuf', /is not a URL/],
    ['http://[bad', 'http/protobuf', /is not a URL/],
    ['http://[bad', 'grpc', /is not a URL/],
    ['http://user:pw@host:99999', 'grpc', /is not a URL \('http:\/\/user:\*\*\*@host:99999'\)/],
  ])('%s (%s)', (raw, protocol, problem) => {
    const found = otlpEndpointProblem(raw, protocol);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});

describe('OTEL_ASYNC_CONTEXT_CONSOLE_FILE', () => {
  it('diagnostics and the console tree are appended to the file; nothing goes to stdout or stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otel-async-context-output-'));
    const file = join(dir, 'out.log');
    const writes: string[] = [];
    const spy = (stream: NodeJS.WriteStream) => jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => (writes.push(String(chunk)), true));
    const spies = [spy(process.stdout), spy(process.stderr)];
    try {
      await withEnv({ OTEL_ASYNC_CONTEXT_CONSOLE_FILE: file, OTEL_PROPAGATORS: 'b3' }, () =>
        withDistro({ exporters: ['console'], instrumentations: [], shutdown: false }, async (d) => {
          d.tracerProvider.getTracer('t').startSpan('into the file').end();
          await d.forceFlush();
        }),
      );
    } finally {
      for (const s of spies) s.mockRestore();
    }
    const text = readFileSync(file, 'utf8');
    rmSync(dir, { recursive: true });
    expect(writes).toEqual([]);
    expect(text).toMatch(/otel-async-context: OTEL_PROPAGATORS: unsupported value\(s\) 'b3' ignored/);
    expect(text).toMatch(/── trace [0-9a-f]{32}  service .*\ninto the file {2}\[INTERNAL\]/);
  });

  it('a file that cannot be opened: one diagnostic on stderr, stderr used', () => {
    const { output, problem } = openOutput('/nonexistent-dir/out.log');
    expect(problem).toBe("OTEL_ASYNC_CONTEXT_CONSOLE_FILE: cannot open '/nonexistent-dir/out.log' for appending (ENOENT); writing to stderr");
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      output.write('line\n');
      expect(spy).toHaveBeenCalledWith('line\n');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the exporter guard', () => {
  it('an exporter whose constructor throws is left out with one error, the secret masked; the others are made', async () => {
    const logger = capturingLogger();
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    try {
      // Past config.ts's header check (createExporters called directly): grpc-js refuses the value.
      const exporters = await withEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer s3cr3t-tok€n' }, () => {
        const redactor = new Redactor(collectSecrets(process.env, undefined));
        const config = { ...readConfig({ exporters: ['otlp', 'console'], otlp: { protocol: 'grpc' } }, {}).config };
        return createExporters(config, { redactor, consoleStream: { write: () => true } });
      });
      expect(exporters.map((e) => e.constructor.name)).toEqual(['ConsoleTreeExporter']);
      expect(logger.messages).toEqual([
        'otel-async-context: the OTLP exporter (grpc) cannot work with the configured settings and is off: Metadata string value "***" contains illegal characters',
      ]);
    } finally {
      diag.disable();
    }
  });
});
