/**
 * The fix a diagnosis names: the upstream instrumentation of the library that
 * carried or dropped the context when it is not enabled (instrumentations
 * bind the callbacks they wrap to the caller's context), else binding the
 * application's own callback or listener to the context it was handed over in.
 */
import type { CallSite } from './call-site';

/** Packages and the upstream instrumentation that covers each. */
const INSTRUMENTATION_OF: Readonly<Record<string, string>> = {
  pg: '@opentelemetry/instrumentation-pg',
  'pg-pool': '@opentelemetry/instrumentation-pg',
  mysql: '@opentelemetry/instrumentation-mysql',
  mysql2: '@opentelemetry/instrumentation-mysql2',
  ioredis: '@opentelemetry/instrumentation-ioredis',
  redis: '@opentelemetry/instrumentation-redis',
  '@redis/client': '@opentelemetry/instrumentation-redis',
  mongodb: '@opentelemetry/instrumentation-mongodb',
  mongoose: '@opentelemetry/instrumentation-mongoose',
  'generic-pool': '@opentelemetry/instrumentation-generic-pool',
  knex: '@opentelemetry/instrumentation-knex',
  tedious: '@opentelemetry/instrumentation-tedious',
  oracledb: '@opentelemetry/instrumentation-oracledb',
  memcached: '@opentelemetry/instrumentation-memcached',
  'cassandra-driver': '@opentelemetry/instrumentation-cassandra-driver',
  '@grpc/grpc-js': '@opentelemetry/instrumentation-grpc',
  amqplib: '@opentelemetry/instrumentation-amqplib',
  kafkajs: '@opentelemetry/instrumentation-kafkajs',
  'socket.io': '@opentelemetry/instrumentation-socket.io',
  dataloader: '@opentelemetry/instrumentation-dataloader',
  'lru-memoizer': '@opentelemetry/instrumentation-lru-memoizer',
};

/**
 * Libraries that carry a context inside themselves, where no callback of the
 * application is involved, and what to do about each (found by experiment
 * against the real servers: test/diagnose/libraries.test.ts).
 */
const CARRIED_INSIDE: Readonly<Record<string, string>> = {
  mysql2:
    "mysql2's pool runs a queued query in the context of the connection's previous user (with or without " +
    '@opentelemetry/instrumentation-mysql2): take the connection in the request (await pool.getConnection(), ' +
    'or pool.getConnection(context.bind(context.active(), callback))) and query on it',
};

/** The upstream instrumentation for `pkg`, if there is one. */
export function instrumentationFor(pkg: string | undefined): string | undefined {
  return pkg === undefined ? undefined : INSTRUMENTATION_OF[pkg];
}

/**
 * The fix for a span whose context leaked (`leaked`) or was lost, given where
 * it started and which instrumentation scopes have produced spans so far.
 */
export function fixFor(leaked: boolean, site: CallSite, enabled: (scope: string) => boolean): string {
  const library = leaked ? (site.callerLibrary ?? site.innerLibrary) : (site.innerLibrary ?? site.callerLibrary);
  const instrumentation = instrumentationFor(library);
  if (instrumentation !== undefined && !enabled(instrumentation)) {
    return `enable ${instrumentation}: it runs ${library}'s callbacks in the context they were passed in`;
  }
  if (leaked && site.appFrame === undefined && library !== undefined && CARRIED_INSIDE[library] !== undefined) {
    return CARRIED_INSIDE[library];
  }
  const where = site.appFrame !== undefined ? ` (${site.appFrame})` : '';
  if (site.fromEmitter) {
    return `bind the listener to the context it is added in: emitter.on(event, context.bind(context.active(), listener))${where}, or AsyncResource.bind(listener)`;
  }
  if (leaked) {
    const to = library !== undefined ? ` to ${library}` : '';
    return `bind the callback${where} where it is handed over${to}: context.bind(context.active(), callback) or AsyncResource.bind(callback)`;
  }
  const inside = library !== undefined ? ` around ${library}` : '';
  return `keep the caller's context${where}: no context.with(ROOT_CONTEXT, ...)${inside}; a callback run later bound with context.bind(context.active(), callback) or AsyncResource.bind(callback)`;
}
