/**
 * The reference's "asynchronous context example": a TCP server listening on
 * 127.0.0.1, a 10 ms timer set in the listen callback, and a nextTick (the
 * example's console.log) inside the timer callback. Each resource's events
 * must land on the span active where it was created, with the trigger and
 * execution ids of the reference's output.
 */
import * as net from 'node:net';
import { context, trace, type Span } from '@opentelemetry/api';
import { ENGINES } from '../engines';
import { FULL, eventsOfType, harness, type Harness, lifecycleEvents, nextLoopTurn, type LifecycleEventView } from './helpers';

function only(events: LifecycleEventView[], name: string): LifecycleEventView {
  const found = events.filter((e) => e.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, got ${JSON.stringify(events)}`);
  return found[0];
}

describe.each(ENGINES)('reference asynchronous context example (%s engine)', (engine) => {
  let h: Harness;
  afterEach(() => h.shutdown());

  test('server, timer and tick events land on their spans with the reference ids', async () => {
    h = harness(FULL, { engine });
    const serverSpan = h.tracer.startSpan('server');
    let timerSpan!: Span;
    let server!: net.Server;
    let executionInTimer = -1;
    await new Promise<void>((resolve) => {
      context.with(trace.setSpan(context.active(), serverSpan), () => {
        server = net.createServer((socket) => socket.end()).listen(0, '127.0.0.1', () => {
          // Let's wait 10ms before logging the server started.
          timerSpan = h.tracer.startSpan('timer');
          context.with(trace.setSpan(context.active(), timerSpan), () => {
            setTimeout(() => {
              executionInTimer = require('node:async_hooks').executionAsyncId();
              process.nextTick(resolve); // the example's console.log, which queues a TickObject
            }, 10);
          });
        });
      });
    });
    // A client connects under a span of its own. The accepted socket is created by Node outside any
    // JavaScript context (its trigger is the server handle), and what the server's connection callback
    // creates belongs to the server's span: the callback runs in the context of listen().
    const clientSpan = h.tracer.startSpan('client');
    await new Promise<void>((resolve) => {
      context.with(trace.setSpan(context.active(), clientSpan), () => {
        const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
        socket.on('close', () => resolve());
        socket.resume();
      });
    });
    await nextLoopTurn();
    await nextLoopTurn();
    timerSpan.end();
    clientSpan.end();
    serverSpan.end();
    await new Promise((resolve) => server.close(resolve));

    // Server span: TCPSERVERWRAP, then the TickObject that calls the listen callback.
    const onServer = lifecycleEvents(h.span('server'));
    const serverInit = only(eventsOfType(h.span('server'), 'TCPSERVERWRAP'), 'async.init');
    const listenTick = onServer.find((e) => e.name === 'async.init' && e.type === 'TickObject' && e.trigger === serverInit.id)!;
    expect(listenTick).toBeDefined();
    expect(listenTick.execution).toBe(serverInit.execution); // created in the same execution as the server
    const tickEvents = onServer.filter((e) => e.id === listenTick.id).map((e) => e.name);
    expect(tickEvents).toEqual(['async.init', 'async.before', 'async.after', 'async.destroy']);
    // The connection callback: a before/after of the server handle, and what socket.end() created.
    expect(onServer.filter((e) => e.id === serverInit.id).map((e) => e.name)).toEqual(
      expect.arrayContaining(['async.init', 'async.before', 'async.after']));
    expect(onServer.some((e) => e.name === 'async.init' && e.execution === serverInit.id)).toBe(true);
    // Nothing of the timer's lands on the server span.
    expect(onServer.some((e) => e.type === 'Timeout')).toBe(false);

    // Timer span: "Timeout(7): trigger: 6 execution: 6", then the tick created in the timer callback.
    const onTimer = lifecycleEvents(h.span('timer'));
    const timeout = only(eventsOfType(h.span('timer'), 'Timeout'), 'async.init');
    expect(timeout.trigger).toBe(listenTick.id);
    expect(timeout.execution).toBe(listenTick.id);
    expect(executionInTimer).toBe(timeout.id);
    const tick = onTimer.find((e) => e.name === 'async.init' && e.type === 'TickObject')!;
    expect(tick.trigger).toBe(timeout.id);
    expect(tick.execution).toBe(timeout.id);
    // The reference's order: before 7, TickObject(8) init, after 7, before 8, after 8 (destroys come later).
    const sequence = onTimer.filter((e) => e.name !== 'async.destroy').map((e) => `${e.name} ${e.id}`);
    expect(sequence).toEqual([
      `async.init ${timeout.id}`,
      `async.before ${timeout.id}`,
      `async.init ${tick.id}`,
      `async.after ${timeout.id}`,
      `async.before ${tick.id}`,
      `async.after ${tick.id}`,
    ]);
    expect(onTimer.filter((e) => e.name === 'async.destroy').map((e) => e.id).sort()).toEqual([timeout.id, tick.id].sort());

    // Client span: its socket and connect request.
    const clientTypes = new Set(lifecycleEvents(h.span('client')).filter((e) => e.name === 'async.init').map((e) => e.type));
    expect(clientTypes).toEqual(expect.objectContaining({}));
    expect([...clientTypes]).toEqual(expect.arrayContaining(['TCPWRAP', 'TCPCONNECTWRAP']));

    // Summaries: the timer span's work all finished; the server span left its listening handle behind
    // (it was closed after the span ended).
    const timerAttrs = h.span('timer').attributes;
    expect(timerAttrs['async.resources.created']).toBe(2);
    expect(timerAttrs['async.resources.created_by_type.Timeout']).toBe(1);
    expect(timerAttrs['async.resources.created_by_type.TickObject']).toBe(1);
    expect(timerAttrs['async.callbacks']).toBe(2);
    expect(timerAttrs['async.resources.pending']).toBe(0);
    expect(h.span('server').attributes['async.resources.pending_by_type.TCPSERVERWRAP']).toBe(1);
  });
});
