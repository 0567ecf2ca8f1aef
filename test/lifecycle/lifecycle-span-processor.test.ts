/** Opt-in (no hook until a span is tracked, none after shutdown) and failures that never reach the app. */
import { diag, DiagLogLevel, type DiagLogger, type Span } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createHook } from 'node:async_hooks';
import { channelStats } from '../../src/hooks/dispatch';
import { AsyncResource } from '../../src/hooks/index';
import { FULL, harness, lifecycleEvents, type Harness, within } from './helpers';

let h: Harness;
afterEach(() => h.shutdown());


/** Subscribers of our shared hook channels, by kind, whatever their promise interest. */
function subscribers(): Record<string, number> {
  return Object.fromEntries(Object.entries(channelStats()).filter(([, n]) => n > 0));
}

// With the default filters the hook is on the no-promise channels, whose native hook is created
// with trackPromises: false where Node supports it (24.x, 25+): awaits never call into it.
test('no hook until the first tracked span; shutdown disables it', async () => {
  const before = subscribers();
  h = harness(FULL);
  expect(h.processor.enabled).toBe(false);
  expect(subscribers()).toEqual(before);
  h.tracer.startSpan('first').end();
  expect(h.processor.enabled).toBe(true);
  expect(subscribers()).toEqual({
    ...before,
    'noPromises.init': 1, 'noPromises.before': 1, 'noPromises.after': 1, 'noPromises.destroy': 1,
  });
  await h.processor.shutdown();
  expect(h.processor.enabled).toBe(false);
  expect(subscribers()).toEqual(before);
  // After shutdown nothing is tracked any more.
  const span = h.tracer.startSpan('after-shutdown');
  within(span, () => new AsyncResource('IGNORED'));
  span.end();
  expect(h.span('after-shutdown').attributes['async.resources.created']).toBeUndefined();
});

test('the default mode hooks init, before and destroy: no after', () => {
  const before = subscribers();
  h = harness();
  h.tracer.startSpan('first').end();
  expect(subscribers()).toEqual({
    ...before,
    'noPromises.init': 1, 'noPromises.before': 1, 'noPromises.destroy': 1,
  });
});

test('the hook tracks promises only when PROMISE is recorded', () => {
  h = harness({ ...FULL, include: ['PROMISE', 'Timeout'] });
  h.tracer.startSpan('first').end();
  expect(subscribers()).toEqual(expect.objectContaining({ 'promises.init': 1, 'promises.promiseResolve': 1 }));
  expect(subscribers()['noPromises.init']).toBeUndefined();
});

test('the hooks create no async resources of their own (no recursion)', () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('counted');
  const seen: string[] = [];
  const raw = createHook({ init(_id, type) { if (type !== 'PROMISE') seen.push(type); } }).enable();
  try {
    within(span, () => {
      for (let i = 0; i < 3; i++) new AsyncResource('COUNTED').runInAsyncScope(() => {});
    });
  } finally {
    raw.disable();
  }
  span.end();
  expect(seen).toEqual(['COUNTED', 'COUNTED', 'COUNTED']);
  expect(lifecycleEvents(h.span('counted'))).toHaveLength(9);
});

describe('failures never reach the application', () => {
  let logged: unknown[][];
  beforeEach(() => {
    logged = [];
    const logger = { error: (...a: unknown[]) => logged.push(a), warn() {}, info() {}, debug() {}, verbose() {} } as DiagLogger;
    diag.setLogger(logger, DiagLogLevel.ERROR);
  });
  afterEach(() => diag.disable());

  /** A processor in front of ours that breaks every span it sees. */
  const breaking = (what: 'addEvent' | 'setAttribute'): SpanProcessor => ({
    onStart(span) {
      (span as unknown as Record<string, unknown>)[what] = () => {
        throw new Error(`broken ${what}`);
      };
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  });

  /**
   * A processor after ours that breaks the span's lifecycle record (found by its symbol's
   * description): every `before` callback of its resources throws as it counts the queued time.
   */
  const breakingRecord: SpanProcessor = {
    onStart(span) {
      for (const key of Object.getOwnPropertySymbols(span)) {
        if (key.description !== 'otel-async-context.lifecycle-span') continue;
        (span as unknown as Record<symbol, { countQueued(): void }>)[key].countQueued = () => {
          throw new Error('broken record');
        };
      }
    },
    onEnd() {},
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };

  test('a throwing hook callback is caught and reported once as a warning', async () => {
    // The engine reports through process.emitWarning (jest's sandboxed process does not relay
    // the 'warning' event to listeners added here, so the call itself is observed).
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      h = harness(FULL, { after: [breakingRecord] });
      const span = h.tracer.startSpan('broken-record');
      let ran = 0;
      await within(span, () => new Promise<void>((resolve) => {
        setTimeout(() => {
          ran++;
          process.nextTick(() => {
            ran++;
            resolve();
          });
        }, 1);
      }));
      span.end();
      expect(ran).toBe(2);
      await new Promise((resolve) => setImmediate(resolve));
      // The before of the timer and of the tick threw: one warning for both.
      const ours = emitWarning.mock.calls.filter(([, options]) =>
        (options as { code?: string } | undefined)?.code === 'OTEL_ASYNC_CONTEXT_HOOK_FAILED');
      expect(ours).toHaveLength(1);
      expect(String(ours[0][0])).toContain('broken record');
      // The other callbacks went on: the summary and the init events are written.
      const finished = h.span('broken-record');
      expect(finished.attributes['async.resources.created_by_type.Timeout']).toBe(1);
      expect(finished.attributes['async.resources.created_by_type.TickObject']).toBe(1);
      expect(lifecycleEvents(finished).filter((e) => e.name === 'async.init').map((e) => e.type)).toEqual(['Timeout', 'TickObject']);
    } finally {
      emitWarning.mockRestore();
    }
  });

  test('a failure while writing events is reported through diag, not thrown from span.end()', () => {
    h = harness(FULL, { before: [breaking('addEvent')] });
    const span = h.tracer.startSpan('broken-events');
    within(span, () => new AsyncResource('X'));
    expect(() => span.end()).not.toThrow();
    expect(logged).toHaveLength(1);
    expect(String(logged[0][0])).toContain('lifecycle processor failed');
    // The summary went first.
    expect(h.span('broken-events').attributes['async.resources.created']).toBe(1);
  });

  test('a failure while writing the summary is reported through diag, not thrown from span.end()', () => {
    h = harness(FULL, { before: [breaking('setAttribute')] });
    const span = h.tracer.startSpan('broken-summary');
    within(span, () => new AsyncResource('X'));
    expect(() => span.end()).not.toThrow();
    const second = h.tracer.startSpan('broken-summary-2');
    expect(() => second.end()).not.toThrow();
    expect(logged).toHaveLength(1);
    expect(String(logged[0][0])).toContain('lifecycle processor failed');
    expect(h.processor.watchedResources).toBe(0);
  });

  test('a resource that cannot carry state (frozen) is still counted', () => {
    h = harness(FULL);
    const span = h.tracer.startSpan('frozen');
    class Frozen extends AsyncResource {
      constructor() {
        super('FROZEN');
        Object.freeze(this);
      }
    }
    let resource!: Frozen;
    expect(() => within(span, () => { resource = new Frozen(); })).not.toThrow();
    resource.runInAsyncScope(() => {});
    span.end();
    expect(h.span('frozen').attributes['async.resources.created']).toBe(1);
  });
});

test('with an SDK that does not call onEnding, onEnd releases the span without a summary', () => {
  h = harness(FULL);
  const span = h.tracer.startSpan('no-onEnding') as unknown as { end(): void } & Record<string, unknown>;
  within(span as unknown as Span, () => new AsyncResource('HELD', { requireManualDestroy: true }));
  expect(h.processor.watchedResources).toBe(1);
  // What an older SDK does: only onEnd.
  h.processor.onEnd(span as never);
  expect(h.processor.watchedResources).toBe(0);
  span.end();
  expect(h.span('no-onEnding').attributes['async.resources.created']).toBeUndefined();
});
