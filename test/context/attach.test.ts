/**
 * attach(): a disposable token restoring the previous context, last in first
 * out (the attach cases of context-async-hooks's suite, plus `using`), on
 * both engines and on Node lines with and without a native withScope.
 */
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncContextManager } from '../../src/context/index';
import { ENGINES } from '../engines';
import { ctx, labelOf } from './helpers';

describe.each(ENGINES)('AsyncContextManager#attach (%s engine)', (engine) => {
  let manager: AsyncContextManager;

  beforeEach(() => {
    manager = new AsyncContextManager({ engine }).enable();
  });
  afterEach(() => {
    manager.disable();
  });

  describe('attach()', () => {
    test('attaches and disposes', () => {
      const c = ctx('1');
      const token = manager.attach(c);
      expect(manager.active()).toBe(c);
      token.dispose();
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('nested attach/dispose is last in, first out', () => {
      const [c1, c2, c3] = ['1', '2', '3'].map((l) => ctx(l));
      const t1 = manager.attach(c1);
      const t2 = manager.attach(c2);
      const t3 = manager.attach(c3);
      expect(manager.active()).toBe(c3);
      t3.dispose();
      expect(manager.active()).toBe(c2);
      t2.dispose();
      expect(manager.active()).toBe(c1);
      t1.dispose();
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('dispose() is idempotent', () => {
      const t1 = manager.attach(ctx('1'));
      const t2 = manager.attach(ctx('2'));
      t2.dispose();
      t2.dispose();
      expect(labelOf(manager.active())).toBe('1');
      t1.dispose();
    });

    test('[Symbol.dispose] restores the previous context (using)', () => {
      const c1 = ctx('1');
      const t1 = manager.attach(c1);
      {
        using _scope = manager.attach(ctx('2'));
        expect(labelOf(manager.active())).toBe('2');
      }
      expect(manager.active()).toBe(c1);
      t1[Symbol.dispose]();
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('works across async operations and promises', async () => {
      const c = ctx('1');
      const token = manager.attach(c);
      expect(await new Promise((resolve) => setImmediate(() => resolve(manager.active())))).toBe(c);
      expect(await Promise.resolve().then(() => manager.active())).toBe(c);
      expect(manager.active()).toBe(c);
      token.dispose();
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('interacts with with() and bound functions', () => {
      const [c1, c2, c3] = ['1', '2', '3'].map((l) => ctx(l));
      const t1 = manager.attach(c1);
      manager.with(c2, () => {
        expect(manager.active()).toBe(c2);
        const t3 = manager.attach(c3);
        expect(manager.active()).toBe(c3);
        t3.dispose();
        expect(manager.active()).toBe(c2);
      });
      expect(manager.active()).toBe(c1);
      expect(manager.bind(c2, () => manager.active())()).toBe(c2);
      expect(manager.active()).toBe(c1);
      t1.dispose();
      expect(manager.active()).toBe(ROOT_CONTEXT);
    });

    test('handles several attach/dispose sequences, and works while disabled', () => {
      manager.disable();
      for (const label of ['1', '2']) {
        const c = ctx(label);
        const token = manager.attach(c);
        expect(manager.active()).toBe(c);
        token.dispose();
        expect(manager.active()).toBe(ROOT_CONTEXT);
      }
    });
  });
});
