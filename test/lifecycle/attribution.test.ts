/** A resource belongs to the span active where it was created, whatever is active when it runs. */
import { context, trace } from '@opentelemetry/api';
import { AlwaysOffSampler, BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ENGINES } from '../engines';
import { LifecycleSpanProcessor } from '../../src/lifecycle/index';
import { FULL, harness, lifecycleEvents, nextLoopTurn, type Harness, within } from './helpers';

let h: Harness;
afterEach(() => h.shutdown());


describe.each(ENGINES)('attribution (%s engine)', (engine) => {
  test('events land on the creating span, not the one active when the callback runs', async () => {
    h = harness(FULL, { engine });
    const creator = h.tracer.startSpan('creator');
    const runner = h.tracer.startSpan('runner');
    let tickId = -1;
    await new Promise<void>((resolve) => {
      within(creator, () => {
        // The callback is bound to the runner's context: it runs with `runner` active.
        setTimeout(context.bind(trace.setSpan(context.active(), runner), () => {
          expect(trace.getSpan(context.active())).toBe(runner);
          process.nextTick(resolve); // created while `runner` is active: the runner's
          tickId = require('node:async_hooks').executionAsyncId();
        }), 1);
      });
    });
    await nextLoopTurn();
    creator.end();
    runner.end();
    const onCreator = lifecycleEvents(h.span('creator'));
    const onRunner = lifecycleEvents(h.span('runner'));
    expect(onCreator.filter((e) => e.type === 'Timeout').map((e) => e.name))
      .toEqual(['async.init', 'async.before', 'async.after', 'async.destroy']);
    expect(onRunner.some((e) => e.type === 'Timeout')).toBe(false);
    const tick = onRunner.find((e) => e.type === 'TickObject' && e.name === 'async.init')!;
    expect(tick.execution).toBe(tickId); // created in the timer's execution
    expect(onCreator.some((e) => e.type === 'TickObject')).toBe(false);
  });

  test("a child span's resources are the child's, not the parent's", async () => {
    h = harness(FULL, { engine });
    const parent = h.tracer.startSpan('parent');
    await within(parent, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const child = h.tracer.startSpan('child');
      await within(child, () => new Promise((resolve) => setTimeout(resolve, 1)));
      child.end();
    });
    parent.end();
    expect(new Set(lifecycleEvents(h.span('parent')).map((e) => e.type))).toEqual(new Set(['Immediate']));
    expect(new Set(lifecycleEvents(h.span('child')).map((e) => e.type))).toEqual(new Set(['Timeout']));
  });
});

test('resources created with no span, or under a span of another provider, are not recorded', async () => {
  h = harness(FULL);
  const other = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  const foreign = other.getTracer('other').startSpan('foreign');
  await new Promise((resolve) => setTimeout(resolve, 1));
  await within(foreign, () => new Promise((resolve) => setTimeout(resolve, 1)));
  foreign.end();
  expect(h.processor.watchedResources).toBe(0);
  expect(h.exporter.getFinishedSpans()).toHaveLength(0);
  await other.shutdown();
});

test('spans that do not record (sampled out) get nothing and cost no tracking', async () => {
  h = harness(FULL);
  const exporter = new InMemorySpanExporter();
  const off = new BasicTracerProvider({
    sampler: new AlwaysOffSampler(),
    spanProcessors: [new LifecycleSpanProcessor(FULL), new SimpleSpanProcessor(exporter)],
  });
  const span = off.getTracer('off').startSpan('not-recording');
  expect(span.isRecording()).toBe(false);
  await within(span, () => new Promise((resolve) => setTimeout(resolve, 1)));
  span.end();
  expect(exporter.getFinishedSpans()).toHaveLength(0);
  await off.shutdown();
});

test('two providers with a processor each never write on each other\'s spans', async () => {
  h = harness(FULL);
  const exporter = new InMemorySpanExporter();
  const second = new BasicTracerProvider({ spanProcessors: [new LifecycleSpanProcessor(FULL), new SimpleSpanProcessor(exporter)] });
  const a = h.tracer.startSpan('a');
  const b = second.getTracer('second').startSpan('b');
  await within(a, () => new Promise((resolve) => setTimeout(resolve, 1)));
  await within(b, () => new Promise((resolve) => setTimeout(resolve, 1)));
  await nextLoopTurn();
  a.end();
  b.end();
  const names = (events: ReturnType<typeof lifecycleEvents>) => events.map((e) => e.name);
  const expected = ['async.init', 'async.before', 'async.after', 'async.destroy'];
  expect(names(lifecycleEvents(h.span('a')))).toEqual(expected);
  expect(names(lifecycleEvents(exporter.getFinishedSpans()[0]))).toEqual(expected);
  await second.shutdown();
});

test("the SDK's own work (exports, under suppressed tracing) is not the span's", async () => {
  h = harness(FULL);
  const parent = h.tracer.startSpan('parent');
  within(parent, () => h.tracer.startSpan('child').end()); // InMemorySpanExporter.export sets a timer
  parent.end();
  expect(lifecycleEvents(h.span('parent'))).toEqual([]);
  expect(h.span('parent').attributes['async.resources.created']).toBe(0);
});
