/**
 * Exporter packages load only when chosen: the gRPC exporter (and with it
 * @grpc/grpc-js) only for `grpc`, the HTTP ones only for their protocol, none
 * for the console tree. Checked in child processes on both builds
 * (`--require` of dist/cjs, `--import` of dist/esm, where the lazy load goes
 * through createRequire).
 */
import { join } from 'node:path';
import { ensureBuilt, ROOT, runNode } from '../e2e/helpers';

const FIXTURE = join(__dirname, 'fixtures', 'loaded-exporters.js');
const BUILDS: Array<[string, string[]]> = [
  ['dist/cjs', ['--require', join(ROOT, 'dist', 'cjs', 'register.js')]],
  ['dist/esm', ['--import', join(ROOT, 'dist', 'esm', 'register.mjs')]],
];
const CHOICES: Array<[string, Record<string, string>, string[]]> = [
  ['console', { OTEL_TRACES_EXPORTER: 'console' }, []],
  ['otlp, http/protobuf', { OTEL_TRACES_EXPORTER: 'otlp' }, ['@opentelemetry/exporter-trace-otlp-proto']],
  ['otlp, http/json', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, ['@opentelemetry/exporter-trace-otlp-http']],
  ['otlp, grpc', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, ['@opentelemetry/exporter-trace-otlp-grpc', '@opentelemetry/otlp-grpc-exporter-base']],
];

beforeAll(() => ensureBuilt());

describe.each(BUILDS)('%s', (_build, args) => {
  it.each(CHOICES)('%s loads exactly its exporter', async (_choice, env, expected) => {
    const run = await runNode([...args, FIXTURE], { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_LOG_LEVEL: 'error' }, 30_000);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const loaded: string[] = JSON.parse(run.stdout);
    expect(loaded.filter((p) => !p.startsWith('@grpc/'))).toEqual(expected);
    if (!expected.some((p) => p.includes('grpc'))) expect(loaded).not.toContain('@grpc/grpc-js');
  });
});
