/** Shared set-up of the lifecycle tests: a provider with the processor, in-memory spans. */
import { context, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type IdGenerator,
  type ReadableSpan,
  type Sampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { AsyncContextManager } from '../../src/context/index';
import type { EngineName } from '../../src/hooks/index';
import { LifecycleSpanProcessor, type LifecycleOptions } from '../../src/lifecycle/index';

/** The full mode: every callback hooked, events on every span (the tests of events use it). */
export const FULL: LifecycleOptions = { mode: 'full' };

/** One provider with a LifecycleSpanProcessor in front of an in-memory exporter. */
export interface Harness {
  tracer: Tracer;
  processor: LifecycleSpanProcessor;
  exporter: InMemorySpanExporter;
  /** The finished span called `name` (exactly one must exist). */
  span(name: string): ReadableSpan;
  shutdown(): Promise<void>;
}

/** Builds a harness and installs a global AsyncContextManager on `engine`. */
export function harness(
  options: LifecycleOptions = {},
  extra: { engine?: EngineName; idGenerator?: IdGenerator; sampler?: Sampler; before?: SpanProcessor[]; after?: SpanProcessor[] } = {},
): Harness {
  const manager = new AsyncContextManager({ engine: extra.engine ?? 'native' }).enable();
  context.setGlobalContextManager(manager);
  const exporter = new InMemorySpanExporter();
  const processor = new LifecycleSpanProcessor(options);
  const provider = new BasicTracerProvider({
    idGenerator: extra.idGenerator,
    ...(extra.sampler !== undefined ? { sampler: extra.sampler } : {}),
    spanProcessors: [...(extra.before ?? []), processor, ...(extra.after ?? []), new SimpleSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer('lifecycle-test'),
    processor,
    exporter,
    span(name) {
      const found = exporter.getFinishedSpans().filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one span '${name}', found ${found.length}`);
      return found[0];
    },
    async shutdown() {
      await provider.shutdown();
      context.disable();
    },
  };
}

/** A lifecycle event reduced to what tests compare. */
export interface LifecycleEventView {
  name: string;
  id: number;
  type: string;
  trigger: number;
  execution?: number;
}

/** The span's lifecycle events, in order. */
export function lifecycleEvents(span: ReadableSpan): LifecycleEventView[] {
  return span.events.filter((e) => e.name.startsWith('async.')).map((e) => {
    const a = e.attributes as Attributes;
    const view: LifecycleEventView = {
      name: e.name,
      id: a['async.id'] as number,
      type: a['async.type'] as string,
      trigger: a['async.trigger_id'] as number,
    };
    if (a['async.execution_id'] !== undefined) view.execution = a['async.execution_id'] as number;
    return view;
  });
}

/** Events of the resources of `type` on the span. */
export function eventsOfType(span: ReadableSpan, type: string): LifecycleEventView[] {
  return lifecycleEvents(span).filter((e) => e.type === type);
}

/** A promise that settles on the next turn of the event loop after pending I/O. */
export function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `fn` with `span` active (the creation context of what `fn` starts). */
export function within<T>(span: Span, fn: () => T): T {
  return context.with(trace.setSpan(context.active(), span), fn);
}
