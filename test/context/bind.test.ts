/**
 * bind(): what ours adds to the cases of context-async-hooks's suite. Bound
 * functions keep name, length, `this` and `new`; bound emitters handle every
 * add/remove method, once, duplicates, rebinding and two managers; bound
 * EventTargets (AbortSignal, plain EventTarget) add and remove listeners.
 */
import { EventEmitter, once } from 'node:events';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncContextManager } from '../../src/context/index';
import { ENGINES } from '../engines';
import { ctx, labelOf } from './helpers';

describe.each(ENGINES)('bind() (%s engine)', (engine) => {
  let manager: AsyncContextManager;
  let other: AsyncContextManager;
  const label = () => labelOf(manager.active());

  beforeEach(() => {
    manager = new AsyncContextManager({ engine });
    other = new AsyncContextManager({ engine });
  });
  afterEach(() => {
    manager.disable();
    other.disable();
  });

  describe('functions', () => {
    test('keep name and length', () => {
      function handleRequest(_req: unknown, _res: unknown, _next: unknown) {}
      const bound = manager.bind(ctx('a'), handleRequest);
      expect(bound).not.toBe(handleRequest);
      expect(bound.name).toBe('handleRequest');
      expect(bound.length).toBe(3);
      const arrow = manager.bind(ctx('a'), (_x: number) => 1);
      expect(arrow.length).toBe(1);
      expect(typeof arrow).toBe('function');
    });

    test('forward this, arguments, return value and errors', () => {
      const target = { n: 2 };
      const bound = manager.bind(ctx('a'), function (this: { n: number }, x: number, y: number) {
        return [this.n * x + y, label()];
      });
      expect(bound.call(target, 3, 4)).toEqual([10, 'a']);
      const err = new Error('boom');
      const throwing = manager.bind(ctx('a'), () => { throw err; });
      manager.with(ctx('caller'), () => {
        expect(throwing).toThrow(err);
        expect(label()).toBe('caller');
      });
    });

    test('new on a bound class constructs it in the bound context', () => {
      class Widget {
        readonly seen = label();
      }
      const Bound = manager.bind(ctx('ctor'), Widget);
      const widget = new Bound();
      expect(widget).toBeInstanceOf(Widget);
      expect(widget.seen).toBe('ctor');
    });

    test('binding a bound function again: the innermost context wins while it runs', () => {
      const inner = manager.bind(ctx('inner'), () => label());
      expect(manager.bind(ctx('outer'), inner)()).toBe('inner');
    });

    test('a function bound before disable() still runs in its context after it', () => {
      const bound = manager.bind(ctx('a'), () => label());
      manager.disable();
      expect(bound()).toBe('a');
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });
  });

  describe('EventEmitter', () => {
    test('every add method runs its listener in the bound context', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const seen: string[] = [];
      const note = (name: string) => () => seen.push(`${name}:${label()}`);
      ee.on('e', note('on'));
      ee.addListener('e', note('addListener'));
      ee.once('e', note('once'));
      ee.prependListener('e', note('prependListener'));
      ee.prependOnceListener('e', note('prependOnceListener'));
      manager.with(ctx('emitter'), () => ee.emit('e'));
      manager.with(ctx('emitter'), () => ee.emit('e'));
      expect(seen).toEqual([
        'prependOnceListener:bound', 'prependListener:bound', 'on:bound', 'addListener:bound', 'once:bound',
        'prependListener:bound', 'on:bound', 'addListener:bound',
      ]);
      expect(ee.listenerCount('e')).toBe(3);
    });

    test('listeners get the emitter as this and the emitted arguments', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      let got: unknown[] = [];
      ee.on('e', function (this: unknown, ...args: unknown[]) { got = [this, ...args]; });
      ee.emit('e', 1, 'two');
      expect(got).toEqual([ee, 1, 'two']);
    });

    test("once listeners keep Node's once-wrapper outermost, as rawListeners() shows them", () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const handler = jest.fn(() => label());
      ee.once('e', handler);
      ee.prependOnceListener('e', handler);
      const raw = ee.rawListeners('e') as Array<{ listener?: unknown }>;
      expect(raw).toHaveLength(2);
      // Wrapped once, not twice: Node's once-wrapper holds our wrapper directly.
      for (const entry of raw) expect(typeof entry.listener).toBe('function');
      for (const entry of raw) expect((entry.listener as { listener?: unknown }).listener).toBeUndefined();
      ee.emit('e');
      expect(handler).toHaveBeenCalledTimes(2);
      expect(handler).toHaveReturnedWith('bound');
      expect(ee.listenerCount('e')).toBe(0);
    });

    test('prependOnceListener listeners are removed by removeListener and off', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const handler = jest.fn();
      ee.prependOnceListener('e', handler);
      ee.removeListener('e', handler);
      ee.prependOnceListener('e', handler);
      ee.off('e', handler);
      ee.emit('e');
      expect(handler).not.toHaveBeenCalled();
      expect(ee.listenerCount('e')).toBe(0);
    });

    test('a listener added twice is removed one registration at a time', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const handler = jest.fn();
      ee.on('e', handler);
      ee.once('e', handler);
      ee.removeListener('e', handler);
      expect(ee.listenerCount('e')).toBe(1);
      ee.emit('e');
      ee.emit('e');
      // The on() registration remained: it ran for both emits.
      expect(handler).toHaveBeenCalledTimes(2);
      ee.removeListener('e', handler);
      expect(ee.listenerCount('e')).toBe(0);
    });

    test('listeners added before bind() stay as they are, and can still be removed', () => {
      const ee = new EventEmitter();
      const before = jest.fn(() => label());
      ee.on('e', before);
      manager.bind(ctx('bound'), ee);
      manager.with(ctx('emitter'), () => ee.emit('e'));
      expect(before).toHaveReturnedWith('emitter');
      ee.removeListener('e', before);
      expect(ee.listenerCount('e')).toBe(0);
    });

    test('removing a listener that was never added is a no-op', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const handler = jest.fn();
      ee.on('e', handler);
      ee.removeListener('e', () => {});
      ee.removeListener('other', handler);
      expect(ee.listenerCount('e')).toBe(1);
    });

    test('binding the same emitter twice patches once; later listeners get the new context', () => {
      const ee = new EventEmitter();
      manager.bind(ctx('first'), ee);
      const first = jest.fn(() => label());
      ee.on('e', first);
      expect(manager.bind(ctx('second'), ee)).toBe(ee);
      const second = jest.fn(() => label());
      ee.on('e', second);
      ee.emit('e');
      expect(first).toHaveReturnedWith('first');
      expect(second).toHaveReturnedWith('second');
      expect(ee.listenerCount('e')).toBe(2);
      ee.off('e', first);
      ee.off('e', second);
      expect(ee.listenerCount('e')).toBe(0);
    });

    test('two managers: both contexts are active, and removal (on and once) finds the listener', () => {
      const ee = other.bind(ctx('theirs'), manager.bind(ctx('mine'), new EventEmitter()));
      const seen: string[][] = [];
      const handler = () => seen.push([label(), labelOf(other.active())]);
      ee.on('e', handler);
      ee.once('once', handler);
      ee.emit('e');
      expect(seen).toEqual([['mine', 'theirs']]);
      ee.removeListener('e', handler);
      ee.off('once', handler);
      expect(ee.listenerCount('e')).toBe(0);
      expect(ee.listenerCount('once')).toBe(0);
      ee.once('once', handler);
      ee.emit('once');
      ee.emit('once');
      expect(seen).toHaveLength(2);
      expect(ee.listenerCount('once')).toBe(0);
    });

    test('a listener added from a newListener handler is bound too', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const added = jest.fn(() => label());
      ee.on('newListener', (event) => {
        if (event === 'trigger') ee.on('added', added);
      });
      ee.once('trigger', () => {});
      manager.with(ctx('emitter'), () => ee.emit('added'));
      expect(added).toHaveReturnedWith('bound');
    });

    test('events.once() works on a bound emitter', async () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const waiting = once(ee, 'ready');
      ee.emit('ready', 42);
      expect(await waiting).toEqual([42]);
      expect(ee.listenerCount('ready')).toBe(0);
      expect(ee.listenerCount('error')).toBe(0);
    });

    test('a listener that is not a function is reported by Node as usual', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      expect(() => ee.on('e', 'nope' as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }));
    });

    test('the bound methods return the emitter, for chaining', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const handler = () => {};
      expect(ee.on('e', handler).once('e', handler).off('e', handler).removeListener('e', handler)).toBe(ee);
      expect(ee.removeAllListeners()).toBe(ee);
    });
  });

  describe('EventTarget', () => {
    test('AbortSignal listeners run in the bound context and can be removed', () => {
      const controller = new AbortController();
      const signal = manager.bind(ctx('bound'), controller.signal);
      expect(signal).toBe(controller.signal);
      const seen: string[] = [];
      const kept = () => seen.push(`kept:${label()}`);
      const removed = () => seen.push(`removed:${label()}`);
      signal.addEventListener('abort', kept);
      signal.addEventListener('abort', removed);
      signal.removeEventListener('abort', removed);
      manager.with(ctx('aborter'), () => controller.abort());
      expect(seen).toEqual(['kept:bound']);
    });

    test('the same listener added twice runs once; capture is a separate registration', () => {
      const target = manager.bind(ctx('bound'), new EventTarget());
      const handler = jest.fn(() => label());
      target.addEventListener('ping', handler);
      target.addEventListener('ping', handler);
      target.addEventListener('ping', handler, { capture: true });
      target.dispatchEvent(new Event('ping'));
      expect(handler).toHaveBeenCalledTimes(2);
      expect(handler).toHaveReturnedWith('bound');
      target.removeEventListener('ping', handler);
      target.dispatchEvent(new Event('ping'));
      expect(handler).toHaveBeenCalledTimes(3);
      target.removeEventListener('ping', handler, { capture: true });
      target.dispatchEvent(new Event('ping'));
      expect(handler).toHaveBeenCalledTimes(3);
    });

    test('handleEvent objects and { once: true }', () => {
      const target = manager.bind(ctx('bound'), new EventTarget());
      const seen: string[] = [];
      const listener = {
        handleEvent(this: unknown, event: Event) {
          seen.push(`${event.type}:${label()}:${this === listener}`);
        },
      };
      target.addEventListener('ping', listener, { once: true });
      target.dispatchEvent(new Event('ping'));
      target.dispatchEvent(new Event('ping'));
      expect(seen).toEqual(['ping:bound:true']);
    });

    test('after a re-bind, a listener that once or an aborted signal removed runs in the new context', () => {
      const target = manager.bind(ctx('first'), new EventTarget());
      const seen: string[] = [];
      const handler = () => seen.push(label());
      target.addEventListener('ping', handler, { once: true });
      target.dispatchEvent(new Event('ping'));
      manager.bind(ctx('second'), target);
      target.addEventListener('ping', handler, { once: true });
      target.dispatchEvent(new Event('ping'));
      const controller = new AbortController();
      target.addEventListener('ping', handler, { signal: controller.signal });
      controller.abort();
      manager.bind(ctx('third'), target);
      target.addEventListener('ping', handler);
      target.dispatchEvent(new Event('ping'));
      expect(seen).toEqual(['first', 'second', 'third']);
    });

    test('after a re-bind, adding a listener that is still registered moves it to the new context, once', () => {
      const target = manager.bind(ctx('first'), new EventTarget());
      const seen: string[] = [];
      const handler = () => seen.push(label());
      target.addEventListener('ping', handler);
      manager.bind(ctx('second'), target);
      target.addEventListener('ping', handler);
      target.dispatchEvent(new Event('ping'));
      target.removeEventListener('ping', handler);
      target.dispatchEvent(new Event('ping'));
      expect(seen).toEqual(['second']);
    });

    test('two managers on one EventTarget', () => {
      const target = other.bind(ctx('theirs'), manager.bind(ctx('mine'), new EventTarget()));
      const handler = jest.fn(() => [label(), labelOf(other.active())]);
      target.addEventListener('ping', handler);
      target.dispatchEvent(new Event('ping'));
      expect(handler).toHaveReturnedWith(['mine', 'theirs']);
      target.removeEventListener('ping', handler);
      target.dispatchEvent(new Event('ping'));
      expect(handler).toHaveBeenCalledTimes(1);
    });
  });
});
