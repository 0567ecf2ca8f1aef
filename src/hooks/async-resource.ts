/**
 * `AsyncResource`: Node's own class, so that Node's hooks, AsyncContextFrame
 * and every hook of ours see the same resource, with one strictness added that
 * the reference text asks for: a second `emitDestroy()` throws instead of
 * emitting a duplicate destroy event.
 */
import { invalidArgType, nodeError } from './errors';
import { NativeAsyncResource } from './native';

/** Options of `new AsyncResource(type, options)`. */
export interface AsyncResourceOptions {
  /** The id of the execution context that created this resource. Default: `executionAsyncId()`. */
  triggerAsyncId?: number;
  /** When true, no destroy is emitted when the resource is garbage collected. Default: false. */
  requireManualDestroy?: boolean;
}

/** A resource whose callbacks run in the async context it was created in. */
export class AsyncResource extends NativeAsyncResource {
  #destroyed = false;

  /**
   * @param type the resource type reported to `init` (a non-empty string).
   * @param options `{ triggerAsyncId, requireManualDestroy }`, or a trigger id as in older Node.
   */
  constructor(type: string, options?: AsyncResourceOptions | number) {
    // Node rejects an empty type only while an init hook is enabled; we always do.
    if (type === '') throw nodeError(TypeError, 'ERR_ASYNC_TYPE', 'Invalid name for async "type": ');
    // Node reads `null.triggerAsyncId` (a bare TypeError); say what is wrong instead.
    if (options === null && typeof type === 'string') throw invalidArgType('options', 'of type object or number', options);
    // Node validates the type's type (ERR_INVALID_ARG_TYPE) and triggerAsyncId (ERR_INVALID_ASYNC_ID).
    super(type, options as AsyncResourceOptions);
  }

  /** Calls the destroy hooks. A second call throws: destroy is emitted once per resource. */
  override emitDestroy(): this {
    if (this.#destroyed) {
      throw nodeError(Error, 'ERR_ASYNC_RESOURCE_DESTROYED',
        `emitDestroy() was already called for asyncId ${this.asyncId()}`);
    }
    this.#destroyed = true;
    super.emitDestroy();
    return this;
  }

  /**
   * Returns `fn` bound to this resource's scope (and to `thisArg` when given).
   * Node's deprecated `asyncResource` property of the result (DEP0172) is
   * present only on the Node lines that still set it.
   */
  override bind<Func extends (...args: any[]) => any>(fn: Func, thisArg?: unknown): Func {
    return (super.bind as (f: Func, t?: unknown) => Func).call(this, fn, thisArg);
  }

  /**
   * Binds `fn` to a new AsyncResource of `type` (default: the function's name),
   * created in the current execution context. As in Node, the resource is an
   * `AsyncResource` even when called on a subclass (`Task.bind(fn)`), whose
   * constructor may take other arguments.
   */
  static override bind<Func extends (this: ThisArg, ...args: any[]) => any, ThisArg>(
    fn: Func, type?: string, thisArg?: ThisArg,
  ): Func {
    const resource = new AsyncResource(type || fn?.name || 'bound-anonymous-fn');
    return resource.bind(fn, thisArg);
  }
}
