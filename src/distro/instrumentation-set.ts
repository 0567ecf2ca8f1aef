/**
 * Which of the upstream Node instrumentations `start()` turns on: the set of
 * `@opentelemetry/auto-instrumentations-node` (0.81), chosen with its rules and
 * its variables, OTEL_NODE_ENABLED_INSTRUMENTATIONS and
 * OTEL_NODE_DISABLED_INSTRUMENTATIONS. Pure: nothing is loaded here (see
 * instrumentations.ts), so a selection costs no `require`.
 */
import type { Env } from './config';
import type { InstrumentationConfigMap } from './options';

/** The package name prefix every entry shares; the variables list the suffixes. */
export const INSTRUMENTATION_PREFIX = '@opentelemetry/instrumentation-';

/**
 * Every instrumentation of auto-instrumentations-node 0.81: package suffix and
 * the class the package exports (test/distro/instrumentation-set.test.ts checks
 * this list against the package's own).
 */
export const NODE_INSTRUMENTATIONS: readonly (readonly [suffix: string, className: string])[] = [
  ['amqplib', 'AmqplibInstrumentation'],
  ['aws-lambda', 'AwsLambdaInstrumentation'],
  ['aws-sdk', 'AwsInstrumentation'],
  ['bunyan', 'BunyanInstrumentation'],
  ['cassandra-driver', 'CassandraDriverInstrumentation'],
  ['connect', 'ConnectInstrumentation'],
  ['cucumber', 'CucumberInstrumentation'],
  ['dataloader', 'DataloaderInstrumentation'],
  ['dns', 'DnsInstrumentation'],
  ['express', 'ExpressInstrumentation'],
  ['fs', 'FsInstrumentation'],
  ['generic-pool', 'GenericPoolInstrumentation'],
  ['graphql', 'GraphQLInstrumentation'],
  ['grpc', 'GrpcInstrumentation'],
  ['hapi', 'HapiInstrumentation'],
  ['host-metrics', 'HostMetricsInstrumentation'],
  ['http', 'HttpInstrumentation'],
  ['ioredis', 'IORedisInstrumentation'],
  ['kafkajs', 'KafkaJsInstrumentation'],
  ['knex', 'KnexInstrumentation'],
  ['koa', 'KoaInstrumentation'],
  ['lru-memoizer', 'LruMemoizerInstrumentation'],
  ['memcached', 'MemcachedInstrumentation'],
  ['mongodb', 'MongoDBInstrumentation'],
  ['mongoose', 'MongooseInstrumentation'],
  ['mysql2', 'MySQL2Instrumentation'],
  ['mysql', 'MySQLInstrumentation'],
  ['nestjs-core', 'NestInstrumentation'],
  ['net', 'NetInstrumentation'],
  ['openai', 'OpenAIInstrumentation'],
  ['oracledb', 'OracleInstrumentation'],
  ['pg', 'PgInstrumentation'],
  ['pino', 'PinoInstrumentation'],
  ['redis', 'RedisInstrumentation'],
  ['restify', 'RestifyInstrumentation'],
  ['router', 'RouterInstrumentation'],
  ['runtime-node', 'RuntimeNodeInstrumentation'],
  ['socket.io', 'SocketIoInstrumentation'],
  ['tedious', 'TediousInstrumentation'],
  ['undici', 'UndiciInstrumentation'],
  ['winston', 'WinstonInstrumentation'],
];

/**
 * Off unless asked for by name. `fs` and `host-metrics` are upstream's own
 * exclusions; `runtime-node` is ours: it only records metrics, this
 * distribution has no metrics pipeline, and enabled it watches every GC and
 * samples the event loop delay for nothing.
 */
export const OFF_BY_DEFAULT: readonly string[] = ['fs', 'host-metrics', 'runtime-node'];

/** One instrumentation to load: its package, exported class and constructor config. */
export interface SelectedInstrumentation {
  readonly packageName: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** What {@link selectInstrumentations} returns. */
export interface InstrumentationSelection {
  readonly selected: readonly SelectedInstrumentation[];
  /** One message per variable or option that named unknown instrumentations. */
  readonly problems: readonly string[];
}

const KNOWN = new Set(NODE_INSTRUMENTATIONS.map(([suffix]) => suffix));

function listFromEnv(env: Env, name: string, problems: string[]): Set<string> | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const names = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.filter((n) => !KNOWN.has(n));
  if (unknown.length > 0) {
    problems.push(
      `${name}: unknown instrumentation ${unknown.map((n) => JSON.stringify(n)).join(', ')} ignored ` +
        `(known: ${[...KNOWN].join(', ')})`,
    );
  }
  return new Set(names);
}

/**
 * Chooses the instrumentations with upstream's precedence: `enabled` in the
 * option's entry first, then OTEL_NODE_DISABLED_INSTRUMENTATIONS, then
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS (when set, only the names it lists), then
 * the default exclusions ({@link OFF_BY_DEFAULT}, which a name in the enabled
 * list overrides).
 *
 * @param configs per-package configuration keyed by full package name, as
 *   `getNodeAutoInstrumentations()` takes it; `enabled` is read here and the
 *   rest is passed to the constructor.
 * @param env the environment to read the two variables from.
 */
export function selectInstrumentations(configs: InstrumentationConfigMap, env: Env): InstrumentationSelection {
  const problems: string[] = [];
  const unknownKeys = Object.keys(configs).filter(
    (key) => !key.startsWith(INSTRUMENTATION_PREFIX) || !KNOWN.has(key.slice(INSTRUMENTATION_PREFIX.length)),
  );
  if (unknownKeys.length > 0) {
    problems.push(`option defaultInstrumentations: unknown instrumentation ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')} ignored`);
  }
  const enabledList = listFromEnv(env, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS', problems);
  const disabledList = listFromEnv(env, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS', problems);

  const selected: SelectedInstrumentation[] = [];
  for (const [suffix, className] of NODE_INSTRUMENTATIONS) {
    const packageName = INSTRUMENTATION_PREFIX + suffix;
    const config = configs[packageName] ?? {};
    const on =
      config.enabled !== undefined
        ? config.enabled
        : disabledList?.has(suffix)
          ? false
          : enabledList !== undefined
            ? enabledList.has(suffix)
            : !OFF_BY_DEFAULT.includes(suffix);
    if (on) selected.push({ packageName, className, config });
  }
  return { selected, problems };
}
