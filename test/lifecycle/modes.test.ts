/**
 * The two modes. `default` hooks init, before and destroy and writes events only on spans the
 * tail rule keeps; `full` hooks after too and writes events on every span. On the same
 * workload both write the same summary counts and the same pending list.
 */
import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { readFile } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { AsyncResource } from '../../src/hooks/index';
import type { LifecycleOptions } from '../../src/lifecycle/index';
import { RING_SIZE } from '../../src/lifecycle/lifecycle-log';
import { ENGINES } from '../engines';
import { FULL, harness, lifecycleEvents, type Harness, within } from './helpers';

let h: Harness | undefined;
afterEach(async () => {
  await h?.shutdown();
  h = undefined;
});


/**
 * A workload with every case of the pending rule, ended at a point where some finished
 * resources still await their destroy (Node delivers it on a later loop turn): a timer left
 * armed, a timer that fired, a timer cleared just before the end, an interval that fired twice,
 * ticks and an immediate that ran, a tick queued at the end, file reads, a listening server and a
 * connected socket, an AsyncResource destroyed and one left behind. Returns what must be closed.
 */
async function workload(span: Span): Promise<() => Promise<void>> {
  let server!: Server;
  let client!: Socket;
  let interval!: NodeJS.Timeout;
  let armed!: NodeJS.Timeout;
  await within(span, async () => {
    armed = setTimeout(() => {}, 60_000);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
    await new Promise<void>((resolve, reject) => readFile(__filename, (err) => (err ? reject(err) : resolve())));
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Both ends: the client's connect callback and the server's accept, in whichever order they come.
    const accepted = new Promise<void>((resolve) => server.once('connection', () => resolve()));
    client = await new Promise<Socket>((resolve) => {
      const socket = connect((server.address() as { port: number }).port, '127.0.0.1', () => resolve(socket));
    });
    await accepted;
    const done = new AsyncResource('DONE', { requireManualDestroy: true });
    done.runInAsyncScope(() => {});
    done.emitDestroy();
    new AsyncResource('LEFT', { requireManualDestroy: true });
    // Last of the timers, so that it cannot fire a third time before the end: the immediate
    // below runs in the same loop turn, before the next timers phase.
    await new Promise<void>((resolve) => {
      let fired = 0;
      interval = setInterval(() => {
        if (++fired === 2) resolve();
      }, 1);
    });
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Ran, destroy still on its way when the span ends.
    await new Promise<void>((resolve) => process.nextTick(resolve));
    clearTimeout(setTimeout(() => {}, 60_000));
    process.nextTick(() => {});
  });
  span.end();
  return async () => {
    clearInterval(interval);
    clearTimeout(armed);
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
}

/** The summary attributes both modes write, without the timings (which differ run to run). */
function counts(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) =>
    key.startsWith('async.') && !key.startsWith('async.queued_ms') && !key.startsWith('async.running_ms') && key !== 'async.events.dropped'));
}

async function summaryOf(options: LifecycleOptions, engine: (typeof ENGINES)[number]): Promise<Attributes> {
  h = harness(options, { engine });
  const span = h.tracer.startSpan('workload');
  const close = await workload(span);
  const summary = counts(h.span('workload').attributes);
  await close();
  await h.shutdown();
  h = undefined;
  return summary;
}

describe.each(ENGINES)('default and full mode on the same workload (%s engine)', (engine) => {
  test('write the same counts and the same pending list', async () => {
    // Once first: the first connection of a process makes a DNS channel, later ones do not.
    await summaryOf(FULL, engine);
    const full = await summaryOf(FULL, engine);
    const byDefault = await summaryOf({}, engine);
    expect(byDefault).toEqual(full);
    // The workload's known leftovers: the armed timer, the interval, the cleared timer (its destroy
    // is on its way), the queued tick, the server, the socket and the AsyncResource left behind.
    expect(full['async.resources.pending_by_type.Timeout']).toBe(3);
    expect(full['async.resources.pending_by_type.TickObject']).toBe(1);
    expect(full['async.resources.pending_by_type.TCPSERVERWRAP']).toBe(1);
    expect(full['async.resources.pending_by_type.TCPWRAP']).toBe(1);
    expect(full['async.resources.pending_by_type.LEFT']).toBe(1);
    expect(full['async.resources.pending_by_type.Immediate']).toBeUndefined();
    expect(full['async.resources.pending_by_type.DONE']).toBeUndefined();
    expect(full['async.resources.created_by_type.FSREQCALLBACK']).toBeGreaterThan(0);
    expect(full['async.resources.pending_by_type.FSREQCALLBACK']).toBeUndefined();
  });
});

describe('the tail rule', () => {
  test('default mode: a fast span gets the summary and no events', () => {
    h = harness();
    const span = h.tracer.startSpan('fast');
    within(span, () => new AsyncResource('QUICK').runInAsyncScope(() => {}));
    span.end();
    const finished = h.span('fast');
    expect(finished.attributes['async.resources.created']).toBe(1);
    expect(finished.attributes['async.callbacks']).toBe(1);
    expect(lifecycleEvents(finished)).toEqual([]);
    expect(h.processor.statistics).toMatchObject({ spansTracked: 1, resourcesRecorded: 1, spansWithEvents: 0, eventsWritten: 0 });
  });

  test('default mode: a span that ended with an error gets its events (init, before, destroy; no after)', async () => {
    h = harness();
    const span = h.tracer.startSpan('failed');
    const resource = within(span, () => new AsyncResource('FAILING', { requireManualDestroy: true }));
    resource.runInAsyncScope(() => {});
    resource.emitDestroy();
    await new Promise((resolve) => setImmediate(resolve)); // destroy hooks run from the next turn
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    const events = lifecycleEvents(h.span('failed')).filter((e) => e.type === 'FAILING');
    expect(events.map((e) => e.name)).toEqual(['async.init', 'async.before', 'async.destroy']);
    expect(events[0].execution).toEqual(expect.any(Number));
  });

  test('a span that lasted at least eventThresholdMs gets its events, with the times they happened', async () => {
    h = harness({ eventThresholdMs: 5 });
    const span = h.tracer.startSpan('slow');
    const startedAt = Date.now();
    await within(span, () => new Promise((resolve) => setTimeout(resolve, 20)));
    span.end();
    const finished = h.span('slow');
    const timer = finished.events.filter((e) => e.attributes?.['async.type'] === 'Timeout');
    expect(timer.map((e) => e.name)).toEqual(['async.init', 'async.before']);
    // The before came after the init, by about the timer's delay (event times are [seconds, nanos]).
    const ms = (t: readonly [number, number]) => t[0] * 1e3 + t[1] / 1e6;
    expect(ms(timer[1].time) - ms(timer[0].time)).toBeGreaterThanOrEqual(1);
    expect(ms(timer[0].time)).toBeGreaterThanOrEqual(startedAt - 1);
    expect(h.processor.statistics).toMatchObject({ spansWithEvents: 1, eventsWritten: 2 });
  });

  test('full mode writes events on every span by default', () => {
    h = harness(FULL);
    const span = h.tracer.startSpan('fast-full');
    within(span, () => new AsyncResource('QUICK').runInAsyncScope(() => {}));
    span.end();
    expect(lifecycleEvents(h.span('fast-full')).map((e) => e.name)).toEqual(['async.init', 'async.before', 'async.after']);
  });
});

test('the log is a fixed ring: a span whose records were overwritten before it ended counts them as dropped', () => {
  h = harness(FULL);
  const long = h.tracer.startSpan('long');
  within(long, () => new AsyncResource('EARLY').runInAsyncScope(() => {}));
  // Other spans log more than the ring holds (init, before and after: 3 records per resource).
  const perSpan = 20;
  for (let i = 0; i * perSpan * 3 <= RING_SIZE; i++) {
    const span = h.tracer.startSpan('busy');
    within(span, () => {
      for (let r = 0; r < perSpan; r++) new AsyncResource('BUSY').runInAsyncScope(() => {});
    });
    span.end();
  }
  long.end();
  const finished = h.span('long');
  expect(lifecycleEvents(finished)).toEqual([]);
  expect(finished.attributes['async.events.dropped']).toBe(3);
  // The summary does not depend on the log.
  expect(finished.attributes['async.resources.created']).toBe(1);
  expect(finished.attributes['async.callbacks']).toBe(1);
});
