/**
 * `UnrefScope`: whatever an exporter creates while it exports (its request's socket,
 * its timeout and retry timers) does not keep the process alive.
 *
 * An OTLP export against a collector that accepts and never answers holds its socket
 * for the whole exporter timeout (OTEL_EXPORTER_OTLP_TIMEOUT, 10 s by default, any
 * value the user sets), and one against a collector that is down holds a retry timer
 * between attempts: a process whose work is done would wait for them. Here each
 * export runs inside a scope (an AsyncLocalStorage of the engine), and an internal
 * init hook, enabled only while an export is in flight, unrefs every resource created
 * in that scope that can be unref'd (Timeout, TCP handles) and the socket of every
 * HTTP client request, a keep-alive socket that Node refs again included.
 *
 * Nothing is lost by it: when the loop runs dry with an export in flight, `'exit'`
 * delivers its spans synchronously, within the deadline (exit-flush.ts).
 */
import { createInternalHook, type AsyncHook } from '../hooks/async-hook';
import { AsyncLocalStorage } from '../hooks/async-local-storage';

interface Unrefable {
  unref(): unknown;
}

function unrefable(value: unknown): value is Unrefable {
  return typeof (value as Partial<Unrefable> | null | undefined)?.unref === 'function';
}

/** See the module comment. */
export class UnrefScope {
  readonly #inScope = new AsyncLocalStorage<true>({ engine: 'native', name: 'otel-async-context.export' });
  readonly #hook: AsyncHook;
  #running = 0;
  #closed = false;

  constructor() {
    this.#hook = createInternalHook({
      init: (_id, type, _trigger, resource) => {
        if (this.#inScope.getStore() !== true) return;
        if (type === 'HTTPCLIENTREQUEST') {
          const socket = (resource as { req?: { socket?: unknown } }).req?.socket;
          if (unrefable(socket)) socket.unref();
        } else if (unrefable(resource)) {
          resource.unref();
        }
      },
      trackPromises: false,
    });
  }

  /**
   * Runs `fn` (which starts an export) in the scope; `done` must be called once the
   * export has answered, so that the hook is disabled when no export is in flight.
   */
  run(fn: () => void): { done(): void } {
    if (this.#running++ === 0 && !this.#closed) this.#hook.enable();
    let ended = false;
    try {
      this.#inScope.run(true, fn);
    } catch (error) {
      this.#end();
      ended = true;
      throw error;
    }
    return {
      done: () => {
        if (ended) return;
        ended = true;
        this.#end();
      },
    };
  }

  /**
   * Disables the hook for good (`shutdown()`): no hook of ours outlives the distribution.
   * An export abandoned at shutdown keeps what it already created unref'd; a retry timer
   * it creates later is not (it lasts at most the exporter's own timeout).
   */
  close(): void {
    this.#closed = true;
    this.#hook.disable();
  }

  #end(): void {
    if (--this.#running === 0) this.#hook.disable();
  }
}
