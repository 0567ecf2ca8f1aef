/**
 * Each hook of ours is one native hook, as in Node: the order in which hooks
 * are called, deferred enable/disable inside callbacks, and the recursion
 * guard's marks, compared with node:async_hooks where Node defines the result.
 */
import * as nodeHooks from 'node:async_hooks';
import * as ourHooks from '../../src/hooks/index';
import { runFixture } from './run-fixture';

type HooksModule = Pick<typeof nodeHooks, 'createHook'>;

function immediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Enables X (default), then U1 and U2 (trackPromises: false); returns who heard a Timeout's init, in order. */
async function orderOfInit(m: HooksModule): Promise<string[]> {
  const heard: string[] = [];
  const hook = (name: string, trackPromises?: boolean) => m.createHook({
    init(_id: number, type: string) { if (type === 'Timeout') heard.push(name); },
    ...(trackPromises === undefined ? {} : { trackPromises }),
  } as nodeHooks.HookCallbacks);
  const hooks = [hook('X'), hook('U1', false), hook('U2', false), hook('Y')];
  hooks.forEach((h) => h.enable());
  await new Promise((resolve) => setTimeout(resolve, 1));
  hooks.forEach((h) => h.disable());
  return heard;
}

/**
 * hook1's init enables hook2 on the first Timeout (and creates an Immediate in
 * that same callback), and disables it on the second: Node applies both after
 * the outermost callback returns.
 */
async function deferredEnableDisable(m: HooksModule): Promise<string[]> {
  const log: string[] = [];
  let timeouts = 0;
  const hook2 = m.createHook({ init(_id: number, type: string) { if (type === 'Timeout' || type === 'Immediate') log.push(`hook2 ${type}`); } });
  const hook1 = m.createHook({
    init(_id: number, type: string) {
      if (type !== 'Timeout') return;
      timeouts++;
      log.push(`hook1 Timeout ${timeouts}`);
      if (timeouts === 1) { hook2.enable(); setImmediate(() => {}); }
      if (timeouts === 3) hook2.disable();
    },
  });
  hook1.enable();
  for (let i = 0; i < 4; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  hook1.disable();
  hook2.disable();
  return log;
}

describe('one native hook per AsyncHook', () => {
  test('hooks are called in the order they were enabled, whatever their trackPromises', async () => {
    const reference = await orderOfInit(nodeHooks);
    expect(reference).toEqual(['X', 'U1', 'U2', 'Y']);
    expect(await orderOfInit(ourHooks as unknown as HooksModule)).toEqual(reference);
  });

  test('enable() and disable() inside init take effect after the outermost callback, as in Node', async () => {
    const reference = await deferredEnableDisable(nodeHooks);
    // hook2 hears neither the Timeout that enabled it nor the Immediate made in that callback.
    expect(reference.slice(0, 2)).toEqual(['hook1 Timeout 1', 'hook1 Timeout 2']);
    expect(reference).toContain('hook2 Timeout');
    expect(await deferredEnableDisable(ourHooks as unknown as HooksModule)).toEqual(reference);
  });

  test.each(['A first', 'B first'])(
    'the recursion guard of one hook never hides or forges another hook\'s destroy (%s)', async (order) => {
      // A creates an Immediate from its own init: A must not hear of it, at init or at destroy.
      // (Resources created before the hooks were enabled may be destroyed now: Node reports those,
      // so only resources that B saw created count.)
      const seenByA = new Set<number>();
      const destroyedForA: number[] = [];
      const a = ourHooks.createHook({
        init(id, type) { seenByA.add(id); if (type === 'Timeout') setImmediate(() => {}); },
        destroy(id) { destroyedForA.push(id); },
      });
      const seenByB = new Set<number>();
      const destroyedForB = new Set<number>();
      const b = ourHooks.createHook({
        init(id) { seenByB.add(id); },
        destroy(id) { destroyedForB.add(id); },
        trackPromises: false,
      });
      if (order === 'A first') { a.enable(); b.enable(); } else { b.enable(); a.enable(); }
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 1));
      await immediate();
      await immediate();
      a.disable();
      b.disable();
      // B heard the Immediates that A created, from init through destroy; A heard of none of them.
      const created = [...seenByB].filter((id) => !seenByA.has(id));
      expect(destroyedForA.filter((id) => seenByB.has(id) && !seenByA.has(id))).toEqual([]);
      expect(created.length).toBeGreaterThanOrEqual(3);
      expect(created.filter((id) => destroyedForB.has(id)).length).toBeGreaterThanOrEqual(3);
    });
});

describe('enable and disable from inside callbacks, in a process of its own (Node\'s *-during-promise and enable-recursive cases)', () => {
  test('each hook hears exactly what it hears on node:async_hooks', () => {
    const reference = runFixture('enable-disable-during-promise.js', 'node:async_hooks');
    expect(reference.stderr).toBe('');
    expect(reference.stdout).toContain('disable-during-promise {"init":3,"before":1,"after":0}');
    const ours = runFixture('enable-disable-during-promise.js', 'otel-async-context/hooks');
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toBe(reference.stdout);
  });
});
