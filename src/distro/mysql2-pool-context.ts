/**
 * mysql2's pools keep the callbacks of `getConnection()` (and of `pool.query()`,
 * which goes through it) in a queue while every connection is busy, and call the
 * next one from `releaseConnection()`: in the context of the request that
 * released a connection. The query span that the mysql2 instrumentation starts in
 * that callback then lands in the other request's trace (measured: 18 of 20
 * requests' queries with a pool of 2, test/e2e/service-apps.test.ts). This
 * instrumentation binds each callback to the context of its caller, as
 * `@opentelemetry/instrumentation-mysql` does for mysql's pools; `start()` adds it
 * whenever the mysql2 instrumentation is on. It makes no spans.
 */
import { context } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  isWrapped,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';

/** The instrumentation name of upstream's mysql2 instrumentation, which this one completes. */
export const MYSQL2_INSTRUMENTATION = '@opentelemetry/instrumentation-mysql2';

/** This instrumentation's name. */
export const MYSQL2_POOL_CONTEXT = 'otel-async-context/instrumentation-mysql2-pool-context';

type GetConnection = (this: unknown, callback?: unknown, ...rest: unknown[]) => unknown;
type PoolClass = { prototype: { getConnection?: GetConnection } };

/** Binds the callbacks that mysql2 pools queue to the context of the code that queued them. */
export class Mysql2PoolContextInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    // It records nothing: the version names this instrumentation's own revision.
    super(MYSQL2_POOL_CONTEXT, '1.0.0', config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'mysql2',
      ['>=1.0.0 <4'],
      (moduleExports: { Pool?: PoolClass }) => {
        const proto = moduleExports.Pool?.prototype;
        if (typeof proto?.getConnection !== 'function') return moduleExports;
        if (isWrapped(proto.getConnection)) this._unwrap(proto, 'getConnection');
        this._wrap(proto, 'getConnection', (original) =>
          function getConnection(this: unknown, callback?: unknown, ...rest: unknown[]) {
            const bound = typeof callback === 'function' ? context.bind(context.active(), callback as () => void) : callback;
            return (original as GetConnection).call(this, bound, ...rest);
          },
        );
        return moduleExports;
      },
      (moduleExports: { Pool?: PoolClass } | undefined) => {
        const proto = moduleExports?.Pool?.prototype;
        if (proto !== undefined && isWrapped(proto.getConnection)) this._unwrap(proto, 'getConnection');
      },
    );
  }
}
