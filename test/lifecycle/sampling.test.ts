/**
 * Which spans are tracked: the SDK's own sampling decision, then the lifecycle sampling ratio,
 * drawn locally at each local root and followed by the spans below it; never read from the
 * trace id a client sends. Sampled-out spans cost no recording (asserted on the counters).
 */
import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import { AsyncResource } from '../../src/hooks/index';
import { LifecycleSampler } from '../../src/lifecycle/sampling';
import { ENGINES } from '../engines';
import { FULL, harness, lifecycleEvents, type Harness, within } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
});


/** A context whose parent is a remote span of `traceId`: what an incoming traceparent gives. */
function remoteParent(traceId: string): Context {
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
}

/** A random source that returns the given values in turn. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('LifecycleSampler', () => {
  const tracer = () => trace.getTracer('sampling-unit');
  const span = (ctx?: Context) => tracer().startSpan('s', {}, ctx ?? ROOT_CONTEXT);

  test('a local root is tracked when the draw is below the ratio', () => {
    const sampler = new LifecycleSampler(0.5, draws(0.49, 0.5));
    expect(sampler.decide(span(), ROOT_CONTEXT)).toBe(true);
    expect(sampler.decide(span(), ROOT_CONTEXT)).toBe(false);
  });

  test('a span follows its local parent, not a new draw, even after the parent ended', () => {
    const sampler = new LifecycleSampler(0.5, draws(0.1, 0.9, 0.9, 0.1));
    for (const rootTracked of [true, false]) {
      const root = span();
      expect(sampler.decide(root, ROOT_CONTEXT)).toBe(rootTracked);
      root.end();
      const child = span();
      expect(sampler.decide(child, trace.setSpan(ROOT_CONTEXT, root))).toBe(rootTracked);
    }
  });

  test('the trace id plays no part: the same remote trace id gets the draw\'s answer', () => {
    const sampler = new LifecycleSampler(0.5, draws(0.9, 0.1));
    // Low 32 bits all zero: the old rule tracked such a trace at any ratio above 0.
    const forced = remoteParent('4bf92f3577b34da6a3ce929d00000000');
    expect(sampler.decide(span(), forced)).toBe(false);
    expect(sampler.decide(span(), forced)).toBe(true);
  });

  test('ratio 1 and 0 need no draw', () => {
    const never = () => {
      throw new Error('no draw expected');
    };
    expect(new LifecycleSampler(1, never).decide(span(), ROOT_CONTEXT)).toBe(true);
    expect(new LifecycleSampler(0, never).decide(span(), ROOT_CONTEXT)).toBe(false);
  });
});

describe.each(ENGINES)('LifecycleSpanProcessor sampling (%s engine)', (engine) => {
  test('ratio 1 tracks every trace, ratio 0 none (and enables no hook)', async () => {
    h = harness({ ...FULL, samplingRatio: 1 }, { engine });
    const one = h.tracer.startSpan('one');
    within(one, () => new AsyncResource('SAMPLED'));
    one.end();
    expect(lifecycleEvents(h.span('one'))).toHaveLength(1);
    await h.shutdown();
    h = harness({ ...FULL, samplingRatio: 0 }, { engine });
    const none = h.tracer.startSpan('none');
    within(none, () => new AsyncResource('SAMPLED'));
    none.end();
    expect(h.span('none').attributes['async.resources.created']).toBeUndefined();
    expect(h.processor.enabled).toBe(false);
    expect(h.processor.statistics).toEqual({ spansTracked: 0, resourcesRecorded: 0, callbacksRecorded: 0, spansWithEvents: 0, eventsWritten: 0 });
  });

  test('a client cannot force tracking with its trace id; children follow their local root', () => {
    h = harness({ samplingRatio: 0.25 }, { engine });
    let tracked = 0;
    for (let i = 0; i < 400; i++) {
      const root = h.tracer.startSpan(`root-${i}`, {}, remoteParent(`4bf92f3577b34da6a3ce929d${'0'.repeat(8)}`));
      const child = h.tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
      child.end();
      root.end();
      const rootTracked = h.span(`root-${i}`).attributes['async.resources.created'] !== undefined;
      const childSpan = h.exporter.getFinishedSpans().filter((s) => s.name === 'child').pop()!;
      expect(childSpan.attributes['async.resources.created'] !== undefined).toBe(rootTracked);
      if (rootTracked) tracked++;
    }
    // Binomial(400, 0.25): mean 100, standard deviation under 9; the bounds are more than 5 deviations out.
    // The old rule (the low bits of the trace id) tracked all 400.
    expect(tracked).toBeGreaterThan(55);
    expect(tracked).toBeLessThan(145);
    expect(h.processor.statistics.spansTracked).toBe(tracked * 2);
  });

  test('spans the SDK samples out cost no recording: no hook, no state, no event', () => {
    h = harness(FULL, { engine, sampler: new AlwaysOffSampler() });
    for (let i = 0; i < 10; i++) {
      const span = h.tracer.startSpan('sampled-out');
      expect(span.isRecording()).toBe(false);
      within(span, () => new AsyncResource('UNRECORDED').runInAsyncScope(() => {}));
      span.end();
    }
    expect(h.processor.enabled).toBe(false);
    expect(h.processor.statistics).toEqual({ spansTracked: 0, resourcesRecorded: 0, callbacksRecorded: 0, spansWithEvents: 0, eventsWritten: 0 });
  });

  test('spans the lifecycle ratio leaves out cost no recording: states only under tracked spans', () => {
    h = harness({ ...FULL, samplingRatio: 0.5 }, { engine });
    let summarized = 0;
    for (let i = 0; i < 100; i++) {
      const span = h.tracer.startSpan(`span-${i}`);
      within(span, () => {
        for (let r = 0; r < 3; r++) new AsyncResource('COUNTED').runInAsyncScope(() => {});
      });
      span.end();
      if (h.span(`span-${i}`).attributes['async.resources.created'] === 3) summarized++;
    }
    const stats = h.processor.statistics;
    expect(stats.spansTracked).toBe(summarized);
    // Exactly 3 states, 6 callbacks (before, after) and 9 events per tracked span; nothing for the others.
    expect(stats.resourcesRecorded).toBe(3 * summarized);
    expect(stats.callbacksRecorded).toBe(6 * summarized);
    expect(stats.eventsWritten).toBe(9 * summarized);
    expect(summarized).toBeGreaterThan(0);
    expect(summarized).toBeLessThan(100);
  });
});
