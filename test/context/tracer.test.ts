/**
 * AsyncContextManager as the global context manager of @opentelemetry/api,
 * with BasicTracerProvider of @opentelemetry/sdk-trace-base: startActiveSpan
 * parents children correctly across awaits, siblings stay siblings, and
 * concurrent requests never mix.
 */
import { context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { AsyncContextManager } from '../../src/context/index';
import { ENGINES, sleep } from '../engines';

describe.each(ENGINES)('with BasicTracerProvider (%s engine)', (engine) => {
  let exporter: InMemorySpanExporter;
  let provider: BasicTracerProvider;
  let tracer: Tracer;

  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    expect(context.setGlobalContextManager(new AsyncContextManager({ engine }).enable())).toBe(true);
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    tracer = trace.getTracer('test');
  });
  afterEach(async () => {
    await provider.shutdown();
    context.disable();
    trace.disable();
  });

  const byName = () => new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
  const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;
  const idOf = (span: ReadableSpan | undefined) => span?.spanContext().spanId;

  test('nested startActiveSpan parents the child, and the parent is active again after it', () => {
    tracer.startActiveSpan('parent', (parent: Span) => {
      tracer.startActiveSpan('child', (child: Span) => {
        expect(trace.getActiveSpan()).toBe(child);
        child.end();
      });
      expect(trace.getActiveSpan()).toBe(parent);
      parent.end();
    });
    expect(trace.getActiveSpan()).toBeUndefined();
    const spans = byName();
    expect(parentOf(spans.get('child'))).toBe(idOf(spans.get('parent')));
    expect(parentOf(spans.get('parent'))).toBeUndefined();
  });

  test('sequential awaited children are siblings, not a chain', async () => {
    await tracer.startActiveSpan('request', async (request: Span) => {
      for (const name of ['db', 'cache', 'render']) {
        await tracer.startActiveSpan(name, async (span: Span) => {
          await sleep(1);
          span.end();
        });
      }
      request.end();
    });
    const spans = byName();
    for (const name of ['db', 'cache', 'render']) expect(parentOf(spans.get(name))).toBe(idOf(spans.get('request')));
  });

  test('the active span follows timers and promise callbacks', async () => {
    const seen = await tracer.startActiveSpan('outer', async (outer: Span) => {
      const fromTimer = await new Promise((resolve) => setTimeout(() => resolve(trace.getActiveSpan()), 2));
      const fromThen = await Promise.resolve().then(() => trace.getActiveSpan());
      outer.end();
      return [fromTimer === outer, fromThen === outer];
    });
    expect(seen).toEqual([true, true]);
  });

  test('concurrent requests never mix: every child is under its own request', async () => {
    const requests = 20;
    await Promise.all(Array.from({ length: requests }, (_, i) => tracer.startActiveSpan(`req-${i}`, async (root: Span) => {
      await sleep(i % 4);
      await Promise.all(['a', 'b'].map((step) => tracer.startActiveSpan(`req-${i}/${step}`, async (span: Span) => {
        await sleep((i + step.length) % 3);
        tracer.startActiveSpan(`req-${i}/${step}/leaf`, (leaf: Span) => leaf.end());
        span.end();
      })));
      root.end();
    })));
    const spans = byName();
    expect(spans.size).toBe(requests * 5);
    for (let i = 0; i < requests; i++) {
      const root = spans.get(`req-${i}`)!;
      expect(parentOf(root)).toBeUndefined();
      for (const step of ['a', 'b']) {
        const child = spans.get(`req-${i}/${step}`)!;
        const leaf = spans.get(`req-${i}/${step}/leaf`)!;
        expect(parentOf(child)).toBe(idOf(root));
        expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
        expect(parentOf(leaf)).toBe(idOf(child));
      }
    }
  });

  test('context.bind through the API keeps the span of the bind site', () => {
    let bound: () => Span | undefined = () => undefined;
    tracer.startActiveSpan('site', (site: Span) => {
      bound = context.bind(context.active(), () => trace.getActiveSpan());
      site.end();
      tracer.startActiveSpan('elsewhere', (other: Span) => {
        expect(bound()).toBe(site);
        other.end();
      });
    });
  });
});
