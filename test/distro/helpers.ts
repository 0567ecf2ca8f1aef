/** Pieces shared by the distribution's in-process tests. */
import { context, diag, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { start, type Distro, type StartOptions } from '../../src/distro/index';

/** A diag logger that keeps warnings and errors (and, on request, everything). */
export function capturingLogger(): DiagLogger & { messages: string[]; all: string[] } {
  const messages: string[] = [];
  const all: string[] = [];
  const keep = (into: string[][]) => (...args: unknown[]) => {
    const line = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : inspect(a))).join(' ');
    for (const list of into) list.push(line);
  };
  return {
    messages,
    all,
    error: keep([messages, all]),
    warn: keep([messages, all]),
    info: keep([all]),
    debug: keep([all]),
    verbose: keep([all]),
  };
}

/** Sets `vars` in process.env for the duration of `fn` (restored even if it throws). */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T> | T): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Options for an in-process start(): no instrumentation, no exit handlers, spans kept in memory. */
export function testOptions(extra: StartOptions = {}): StartOptions & { memory: InMemorySpanExporter } {
  const memory = new InMemorySpanExporter();
  return { exporters: ['none'], defaultInstrumentations: false, shutdown: false, spanExporters: [memory], ...extra, memory };
}

/** Starts with `options`, runs `fn`, shuts down, and always clears the globals. */
export async function withDistro<T>(options: StartOptions, fn: (d: Distro) => Promise<T> | T): Promise<T> {
  const d = start(options);
  try {
    return await fn(d);
  } finally {
    await d.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
    diag.disable();
  }
}

/** Records one span named `name` and returns what the in-memory exporter got after a flush. */
export async function recordSpan(d: Distro, memory: InMemorySpanExporter, name = 'unit') {
  trace.getTracer('test').startActiveSpan(name, (span) => span.end());
  await d.forceFlush();
  return memory.getFinishedSpans();
}

/**
 * A collector on 127.0.0.1 that accepts connections and never answers, for the
 * suite's lifetime. Returns its OTLP endpoint (valid from `beforeAll` on).
 */
export function useBlackHoleCollector(): () => string {
  let server: Server | undefined;
  beforeAll(async () => {
    server = createServer(() => {}).listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });
  return () => `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}
