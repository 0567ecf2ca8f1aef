/** AsyncResource: validation codes, hook events, scope, destroy, bind (Node's embedder tests). */
import { AsyncResource, createHook, executionAsyncId, triggerAsyncId, executionAsyncResource } from '../../src/hooks/index';

describe('AsyncResource', () => {
  test('validates type and triggerAsyncId with Node\'s codes', () => {
    expect(() => new AsyncResource(undefined as never)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }));
    expect(() => new AsyncResource('')).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_ASYNC_TYPE' }));
    expect(() => new AsyncResource('T', { triggerAsyncId: null as never })).toThrow(expect.objectContaining({ name: 'RangeError', code: 'ERR_INVALID_ASYNC_ID' }));
    expect(() => new AsyncResource('T', { triggerAsyncId: -2 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ASYNC_ID' }));
  });

  test('triggerAsyncId defaults to executionAsyncId(); an explicit one (or a number) is kept', () => {
    expect(new AsyncResource('T').triggerAsyncId()).toBe(executionAsyncId());
    expect(new AsyncResource('T', { triggerAsyncId: 7 }).triggerAsyncId()).toBe(7);
    expect(new AsyncResource('T', 9).triggerAsyncId()).toBe(9);
    const a = new AsyncResource('T');
    const b = new AsyncResource('T');
    expect(b.asyncId()).toBeGreaterThan(a.asyncId());
  });

  test('emits init with the resource, before/after around runInAsyncScope, and destroy once', async () => {
    const events: string[] = [];
    let initResource: unknown;
    const ids = new Set<number>();
    const hook = createHook({
      init(id, type, trigger, resource) { if (type === 'Embedded') { ids.add(id); initResource = resource; events.push(`init ${trigger}`); } },
      before(id) { if (ids.has(id)) events.push('before'); },
      after(id) { if (ids.has(id)) events.push('after'); },
      destroy(id) { if (ids.has(id)) events.push('destroy'); },
    }).enable();
    const resource = new AsyncResource('Embedded', { triggerAsyncId: 5 });
    const result = resource.runInAsyncScope(function (this: unknown, a: number, b: number) {
      events.push(`run ${executionAsyncId() === resource.asyncId()} ${triggerAsyncId()} ${executionAsyncResource() === resource}`);
      return [this, a + b];
    }, 'self', 1, 2);
    resource.emitDestroy();
    // destroy is emitted asynchronously, on the next turn, as in Node.
    expect(events).toEqual(['init 5', 'before', 'run true 5 true', 'after']);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    hook.disable();
    expect(result).toEqual(['self', 3]);
    expect(initResource).toBe(resource);
    expect(events).toEqual(['init 5', 'before', 'run true 5 true', 'after', 'destroy']);
  });

  test('destroy reaches the hook, and a second emitDestroy() throws', async () => {
    const destroyed: number[] = [];
    const hook = createHook({ destroy(id) { destroyed.push(id); } }).enable();
    const resource = new AsyncResource('Once');
    expect(resource.emitDestroy()).toBe(resource);
    expect(() => resource.emitDestroy()).toThrow(expect.objectContaining({ code: 'ERR_ASYNC_RESOURCE_DESTROYED' }));
    await new Promise((r) => setImmediate(r));
    hook.disable();
    expect(destroyed.filter((id) => id === resource.asyncId())).toEqual([resource.asyncId()]);
  });

  test('bind() runs the function in the resource scope with the given this', () => {
    const resource = new AsyncResource('Binder');
    const bound = resource.bind(function (this: unknown, x: number) { return [executionAsyncId(), this, x]; }, 'thisArg');
    expect(bound(3)).toEqual([resource.asyncId(), 'thisArg', 3]);
    const unboundThis = resource.bind(function (this: unknown) { return this; });
    const receiver = { unboundThis };
    expect(receiver.unboundThis()).toBe(receiver);
  });

  test('static bind() names the resource after the function and keeps this', () => {
    const types: string[] = [];
    const hook = createHook({ init(_id, type) { types.push(type); } }).enable();
    function namedTask(this: unknown) { return this; }
    const bound = AsyncResource.bind(namedTask, undefined, 'receiver');
    const anonymous = AsyncResource.bind(() => executionAsyncId());
    hook.disable();
    expect(bound()).toBe('receiver');
    expect(types).toEqual(expect.arrayContaining(['namedTask', 'bound-anonymous-fn']));
    // The bound function runs in its own resource's scope, not the caller's.
    expect(anonymous()).toBeGreaterThan(executionAsyncId());
  });

  test('static bind() on a subclass makes a plain AsyncResource, as node:async_hooks does', () => {
    const nodeHooks = require('node:async_hooks') as typeof import('node:async_hooks');
    const run = (Base: typeof AsyncResource) => {
      const constructed: unknown[] = [];
      class Task extends Base {
        constructor(callback: unknown) { super('Task'); constructed.push(callback); }
      }
      const types: string[] = [];
      const hook = nodeHooks.createHook({ init(_id, type) { types.push(type); } }).enable();
      const bound = Task.bind(function work(this: unknown, x: number) { return [this, x]; }, undefined, 'self');
      hook.disable();
      return { types, constructed, result: bound(1) };
    };
    const reference = run(nodeHooks.AsyncResource as typeof AsyncResource);
    expect(reference).toEqual({ types: ['work'], constructed: [], result: ['self', 1] });
    expect(run(AsyncResource)).toEqual(reference);
  });

  test('runInAsyncScope restores the outer context after a throw', () => {
    const outer = executionAsyncId();
    const resource = new AsyncResource('Thrower');
    expect(() => resource.runInAsyncScope(() => { throw new Error('inside'); })).toThrow('inside');
    expect(executionAsyncId()).toBe(outer);
  });
});
