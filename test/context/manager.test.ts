/**
 * The cases of @opentelemetry/context-async-hooks's own test suite
 * (AsyncLocalStorageContextManager), written for AsyncContextManager on both
 * engines, plus the options and attach() behaviour of ours.
 */
import { EventEmitter } from 'node:events';
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { AsyncContextManager } from '../../src/context/index';
import { ENGINES, sleep } from '../engines';
import { ctx, labelOf } from './helpers';

describe.each(ENGINES)('AsyncContextManager (%s engine)', (engine) => {
  let manager: AsyncContextManager;
  let other: AsyncContextManager | undefined;

  beforeEach(() => {
    manager = new AsyncContextManager({ engine }).enable();
  });
  afterEach(() => {
    manager.disable();
    other?.disable();
    other = undefined;
  });

  test('runs on the engine it was given', () => {
    expect(manager.engine).toBe(engine);
  });

  describe('enable() / disable()', () => {
    test('return this and are idempotent', () => {
      expect(manager.enable()).toBe(manager);
      expect(manager.enable()).toBe(manager);
      expect(manager.disable()).toBe(manager);
      expect(manager.disable()).toBe(manager);
      expect(manager.enable()).toBe(manager);
    });

    test('disable() exits the contexts entered with attach', () => {
      manager.attach(ctx('a'));
      expect(labelOf(manager.active())).toBe('a');
      manager.disable();
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('disable() drops the context of async work already started', async () => {
      const seen = manager.with(ctx('a'), () => sleep(5).then(() => manager.active()));
      manager.disable();
      expect(await seen).toBe(ROOT_CONTEXT);
    });

    test('a function bound while disabled runs in its context; after enable() its async work keeps it', async () => {
      const c = ctx('bound');
      const later = manager.bind(c, () => new Promise<Context>((resolve) => setTimeout(() => resolve(manager.active()), 1)));
      manager.disable();
      expect(manager.bind(c, () => manager.active())()).toBe(c);
      manager.enable();
      expect(await later()).toBe(c);
    });

    test('using the manager again after disable() does not bring old contexts back', async () => {
      const seen = manager.with(ctx('a'), () => sleep(5).then(() => manager.active()));
      manager.disable();
      expect(labelOf(manager.with(ctx('b'), () => manager.active()))).toBe('b');
      expect(await seen).toBe(ROOT_CONTEXT);
    });
  });

  describe('with()', () => {
    test('runs the callback with ROOT_CONTEXT', () => {
      const fn = jest.fn(() => manager.active());
      expect(manager.with(ROOT_CONTEXT, fn)).toBe(ROOT_CONTEXT);
      expect(fn).toHaveBeenCalledTimes(1);
    });

    test('makes the context active inside the callback', () => {
      const c = ctx('a');
      expect(manager.with(c, () => manager.active())).toBe(c);
    });

    test('runs the callback, in its context, while disabled', () => {
      manager.disable();
      const c = ctx('a');
      const fn = jest.fn(() => manager.active());
      expect(manager.with(c, fn)).toBe(c);
      expect(fn).toHaveBeenCalledTimes(1);
    });

    test('rethrows errors and restores the outer context', () => {
      const outer = ctx('outer');
      manager.with(outer, () => {
        const err = new Error('rethrown');
        expect(() => manager.with(ctx('inner'), () => { throw err; })).toThrow(err);
        expect(manager.active()).toBe(outer);
      });
    });

    test('forwards this, arguments and the return value', () => {
      function fnWithThis(this: string, a: string, b: number): string {
        expect(this).toBe('that');
        expect(arguments.length).toBe(2);
        expect(a).toBe('one');
        expect(b).toBe(2);
        return 'done';
      }
      expect(manager.with(ROOT_CONTEXT, fnWithThis, 'that', 'one', 2)).toBe('done');
      expect(manager.with(ROOT_CONTEXT, () => 3.14)).toBe(3.14);
    });

    test('forwards arguments without a thisArg', () => {
      expect(manager.with(ROOT_CONTEXT, (a: number, b: number) => a + b, undefined, 2, 3)).toBe(5);
    });

    test('restores the outer context after nested calls', () => {
      const c1 = ctx('1');
      const c2 = ctx('2');
      manager.with(c1, () => {
        expect(manager.active()).toBe(c1);
        manager.with(c2, () => expect(manager.active()).toBe(c2));
        expect(manager.active()).toBe(c1);
      });
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('the context follows a setTimeout', async () => {
      const c = ctx('1');
      const seen = await manager.with(c, () => new Promise<Context>((resolve) => setTimeout(() => resolve(manager.active()))));
      expect(seen).toBe(c);
    });

    test('an async function called from a nested with() sees the nested context', async () => {
      const c1 = ctx('1');
      const c2 = ctx('2');
      const downstream = async () => {
        await (async () => {})();
        return manager.active();
      };
      const pending = manager.with(c1, () => {
        const p = manager.with(c2, () => downstream());
        expect(manager.active()).toBe(c1);
        return p;
      });
      expect(manager.active()).toBe(ROOT_CONTEXT);
      expect(await pending).toBe(c2);
    });

    test('does not lose the context across an await', async () => {
      const c = ctx('1');
      const pending = manager.with(c, async () => {
        await sleep(20);
        return manager.active();
      });
      expect(manager.active()).toBe(ROOT_CONTEXT);
      expect(await pending).toBe(c);
    });

    test('restores contexts through nested async with() calls', async () => {
      const [c1, c2, c3, c4] = ['1', '2', '3', '4'].map((l) => ctx(l));
      const trail: string[] = [];
      const note = () => trail.push(labelOf(manager.active()));
      await manager.with(c1, async () => {
        note();
        await manager.with(c2, async () => {
          note();
          await manager.with(c3, async () => {
            note();
            await manager.with(c4, async () => note());
            note();
          });
          note();
        });
        note();
      });
      note();
      expect(trail).toEqual(['1', '2', '3', '4', '3', '2', '1', 'root']);
    });

    test('keeps concurrent operations apart', async () => {
      const [c1, c2, c3, c4] = ['1', '2', '3', '4'].map((l) => ctx(l));
      const trail: string[] = [];
      const note = (where: string) => trail.push(`${where}:${labelOf(manager.active())}`);
      const first = manager.with(c1, () => new Promise<void>((resolve) => {
        setTimeout(async () => {
          await manager.with(c3, async () => note('c3'));
          note('after-c3');
          resolve();
        }, 30);
        note('c1');
      }));
      const second = manager.with(c2, () => new Promise<void>((resolve) => {
        setTimeout(() => {
          void manager.with(c4, async () => note('c4'));
          note('after-c4');
          resolve();
        }, 5);
        note('c2');
      }));
      expect(manager.active()).toBe(ROOT_CONTEXT);
      await Promise.all([first, second]);
      expect(trail).toEqual(['c1:1', 'c2:2', 'c4:4', 'after-c4:2', 'c3:3', 'after-c3:1']);
    });

    test('timers with the same delay keep their own contexts', async () => {
      const inner = ctx('inner');
      const seen: string[] = [];
      const timer = (delay: number) => new Promise<void>((resolve) => setTimeout(() => {
        seen.push(`${delay}:${labelOf(manager.active())}`);
        resolve();
      }, delay));
      await Promise.all([manager.with(inner, () => timer(2)), timer(2), timer(3)]);
      expect(seen.sort()).toEqual(['2:inner', '2:root', '3:root']);
    });

    test('does not influence other instances', () => {
      other = new AsyncContextManager({ engine }).enable();
      const mine = ctx('mine');
      const theirs = ctx('theirs');
      manager.with(mine, () => {
        expect(manager.active()).toBe(mine);
        expect(other!.active()).toBe(ROOT_CONTEXT);
        other!.with(theirs, () => {
          expect(manager.active()).toBe(mine);
          expect(other!.active()).toBe(theirs);
        });
      });
    });

    test('instances on different engines do not see each other', async () => {
      other = new AsyncContextManager({ engine: engine === 'native' ? 'hooks' : 'native' });
      const seen = await manager.with(ctx('mine'), () => other!.with(ctx('theirs'), async () => {
        await sleep(1);
        return [labelOf(manager.active()), labelOf(other!.active())];
      }));
      expect(seen).toEqual(['mine', 'theirs']);
    });
  });

  describe('bind(function)', () => {
    test('returns anything else unchanged, enabled or disabled', () => {
      const plain = { a: 1 };
      expect(manager.bind(ROOT_CONTEXT, plain)).toBe(plain);
      expect(manager.bind(ROOT_CONTEXT, 42)).toBe(42);
      expect(manager.bind(ROOT_CONTEXT, null)).toBe(null);
      manager.disable();
      expect(manager.bind(ROOT_CONTEXT, plain)).toBe(plain);
    });

    test('runs the function in the bound context', () => {
      const c = ctx('bound');
      const fn = manager.bind(c, () => manager.active());
      expect(manager.with(ctx('caller'), fn)).toBe(c);
      expect(fn()).toBe(c);
    });

    test('runs the function in the bound context while disabled', () => {
      manager.disable();
      const c = ctx('bound');
      expect(manager.bind(c, () => manager.active())()).toBe(c);
    });

    test('the bound context follows async work the function starts', async () => {
      const c = ctx('bound');
      const fn = manager.bind(c, () => new Promise<Context>((resolve) => setTimeout(() => resolve(manager.active()), 5)));
      expect(await fn()).toBe(c);
    });

    test('does not influence other instances', () => {
      other = new AsyncContextManager({ engine });
      const mine = ctx('mine');
      const theirs = ctx('theirs');
      const fn = other.bind(theirs, manager.bind(mine, () => [manager.active(), other!.active()]));
      expect(fn()).toEqual([mine, theirs]);
    });
  });

  describe('bind(event emitter)', () => {
    test('returns the same emitter, enabled or disabled', () => {
      const ee = new EventEmitter();
      expect(manager.bind(ROOT_CONTEXT, ee)).toBe(ee);
      manager.disable();
      const ee2 = new EventEmitter();
      expect(manager.bind(ROOT_CONTEXT, ee2)).toBe(ee2);
    });

    test('runs listeners in the bound context; removeListener removes them', () => {
      const c = ctx('bound');
      const ee = manager.bind(c, new EventEmitter());
      const seen: Context[] = [];
      const handler = () => {
        seen.push(manager.active());
        ee.removeListener('test', handler);
      };
      ee.on('test', handler);
      expect(ee.listeners('test')).toHaveLength(1);
      manager.with(ctx('emitter'), () => ee.emit('test'));
      expect(seen).toEqual([c]);
      expect(ee.listeners('test')).toHaveLength(0);
    });

    test('removeAllListeners(event) and removeAllListeners() remove bound listeners', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      const handler = () => {};
      ee.on('test', handler);
      ee.on('test1', handler);
      ee.removeAllListeners('test');
      expect(ee.listeners('test')).toHaveLength(0);
      expect(ee.listeners('test1')).toHaveLength(1);
      ee.on('test', handler);
      ee.removeAllListeners();
      expect(ee.listeners('test')).toHaveLength(0);
      expect(ee.listeners('test1')).toHaveLength(0);
    });

    test('removes a .once listener with removeListener and with off', () => {
      const ee = manager.bind(ctx('bound'), new EventEmitter());
      function handler() {}
      ee.once('test', handler);
      expect(ee.listeners('test')).toHaveLength(1);
      ee.removeListener('test', handler);
      expect(ee.listeners('test')).toHaveLength(0);
      ee.once('test', handler);
      ee.off('test', handler);
      expect(ee.listeners('test')).toHaveLength(0);
    });

    test('runs listeners in the bound context while disabled', () => {
      manager.disable();
      const c = ctx('bound');
      const ee = manager.bind(c, new EventEmitter());
      let seen: Context | undefined;
      ee.on('test', () => { seen = manager.active(); });
      ee.emit('test');
      expect(seen).toBe(c);
    });

    test('the bound context follows async work a listener starts', async () => {
      const c = ctx('bound');
      const ee = manager.bind(c, new EventEmitter());
      const seen = new Promise<Context>((resolve) => {
        ee.on('test', () => setImmediate(() => resolve(manager.active())));
      });
      manager.with(ctx('emitter'), () => ee.emit('test'));
      expect(await seen).toBe(c);
    });

    test('does not influence other instances', () => {
      other = new AsyncContextManager({ engine });
      const mine = ctx('mine');
      const theirs = ctx('theirs');
      const ee = other.bind(theirs, manager.bind(mine, new EventEmitter()));
      const seen: Context[][] = [];
      ee.on('test', () => seen.push([manager.active(), other!.active()]));
      ee.emit('test');
      expect(seen).toEqual([[mine, theirs]]);
    });
  });
});
