/**
 * start() once per process: a second call returns the running handle, and a
 * start() after another SDK registered sets up nothing; each case is one
 * diagnostic, and the API never logs a refused ("duplicate") registration.
 */
import { context, diag, DiagLogLevel, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { start } from '../../src/distro/index';
import { AsyncContextManager } from '../../src/context/index';
import { capturingLogger, testOptions } from './helpers';

const signalListeners = () => ['SIGTERM', 'SIGINT', 'beforeExit'].map((e) => process.listenerCount(e));

afterEach(() => {
  trace.disable();
  context.disable();
  propagation.disable();
  diag.disable();
});

describe('start() when already started', () => {
  it('returns the running handle, reports once with the ignored options, and registers nothing twice', async () => {
    const logger = capturingLogger();
    const options = testOptions({ diagLogger: logger });
    const first = start(options);
    const manager = (context as unknown as { _getContextManager(): unknown })._getContextManager();
    const second = start({ serviceName: 'again', exporters: ['console'] });
    try {
      expect(second).toBe(first);
      expect(logger.messages).toEqual([
        expect.stringMatching(/already started in this process.*returns the running handle.*\(serviceName, exporters\) are ignored/),
      ]);
      expect(logger.messages.join('\n')).not.toMatch(/duplicate registration/);
      expect((context as unknown as { _getContextManager(): unknown })._getContextManager()).toBe(manager);

      // One provider records: a span is exported once, by the first start's exporter.
      trace.getTracer('t').startSpan('once').end();
      await first.forceFlush();
      expect(options.memory.getFinishedSpans().map((s) => s.name)).toEqual(['once']);
    } finally {
      await first.shutdown();
    }
  });

  it('a start() after shutdown() starts anew', async () => {
    const first = start(testOptions({ diagLogger: null }));
    await first.shutdown();
    const options = testOptions({ diagLogger: null });
    const second = start(options);
    try {
      expect(second).not.toBe(first);
      trace.getTracer('t').startSpan('after restart').end();
      await second.forceFlush();
      expect(options.memory.getFinishedSpans().map((s) => s.name)).toEqual(['after restart']);
    } finally {
      await second.shutdown();
    }
  });
});

describe('start() after another OpenTelemetry SDK', () => {
  function otherSdk() {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    return { memory, provider, manager };
  }

  it('sets up nothing, says so once (through the logger start() would have used), and the app keeps that SDK', async () => {
    const other = otherSdk();
    const logger = capturingLogger();
    const before = signalListeners();
    const d = start({ exporters: ['none'], diagLogger: logger });
    expect(d.enabled).toBe(false);
    expect(d.instrumentations).toEqual([]);
    expect(logger.messages).toEqual([
      expect.stringMatching(/another OpenTelemetry SDK registered the global tracer provider, context manager, propagator first; start\(\) set up nothing/),
    ]);
    expect(signalListeners()).toEqual(before);
    expect((context as unknown as { _getContextManager(): unknown })._getContextManager()).toBe(other.manager);

    // Spans made through the handle or the API go to the other SDK, with its context manager.
    d.tracerProvider.getTracer('t').startActiveSpan('parent', (parent) => {
      trace.getTracer('t').startSpan('child').end();
      parent.end();
    });
    const spans = other.memory.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['child', 'parent']);
    expect(spans[0]!.parentSpanContext?.spanId).toBe(spans[1]!.spanContext().spanId);
    await d.shutdown();
    expect(trace.getTracer('t').startSpan('still theirs').isRecording()).toBe(true);
  });

  it('reports through the global diag logger when the other SDK installed one, at its level', () => {
    otherSdk();
    const theirs = capturingLogger();
    diag.setLogger(theirs, DiagLogLevel.WARN);
    const mine = capturingLogger();
    start({ exporters: ['none'], diagLogger: mine });
    expect(theirs.messages).toEqual([expect.stringMatching(/another OpenTelemetry SDK/)]);
    expect(mine.messages).toEqual([]);
  });

  it('OTEL_LOG_LEVEL below warn silences the report', () => {
    otherSdk();
    const logger = capturingLogger();
    start({ exporters: ['none'], diagLogger: logger, logLevel: DiagLogLevel.ERROR });
    expect(logger.messages).toEqual([]);
  });

  it('keeps a context manager registered before it, registers the rest, and says so once', async () => {
    const theirs = new AsyncContextManager().enable();
    context.setGlobalContextManager(theirs);
    const logger = capturingLogger();
    const options = testOptions({ diagLogger: logger });
    const d = start(options);
    try {
      expect(d.enabled).toBe(true);
      expect(logger.messages).toEqual([expect.stringMatching(/a global context manager was already registered; start\(\) keeps it/)]);
      expect((context as unknown as { _getContextManager(): unknown })._getContextManager()).toBe(theirs);
      expect(propagation.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
      trace.getTracer('t').startActiveSpan('outer', (outer) => {
        context.with(context.active(), () => trace.getTracer('t').startSpan('inner').end());
        outer.end();
      });
      await d.forceFlush();
      const [inner, outer] = options.memory.getFinishedSpans();
      expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
    } finally {
      await d.shutdown();
    }
    // Ours is gone, theirs stays.
    expect((context as unknown as { _getContextManager(): unknown })._getContextManager()).toBe(theirs);
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});
