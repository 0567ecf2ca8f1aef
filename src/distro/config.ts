/**
 * Reads the distribution's settings from `start()` options and OTEL_* variables.
 *
 * Pure: it reads the given environment record and returns the settings plus the
 * problems found, which `start()` reports once each through `diag` after the
 * logger is installed. A bad value never throws; the default is used instead.
 * Variables that an SDK component reads itself (the sampler's, the OTLP
 * exporters' endpoint/timeout/compression, the resource's) are left to it, so
 * each problem is reported exactly once, by one reader.
 */
import { DiagLogLevel } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import type { EngineName } from '../hooks/index';
import { ENGINE_NAMES_TEXT, parseEngineName } from '../hooks/storage/engine';
import { readDiagnoseEnv } from '../diagnose/diagnose-span-processor';
import {
  EXPORTER_NAMES,
  OTLP_PROTOCOLS,
  PROPAGATOR_NAMES,
  type OtlpProtocol,
  type PropagatorName,
  type ShutdownOptions,
  type StartOptions,
  type TracesExporterName,
} from './options';
import { CONSOLE_FILE_VARIABLE } from './output';
import { otlpEndpointProblem } from './otlp-endpoint';
import { checkHeaderShape, unsendableHeader } from './otlp-headers';
import { readSpanLimits, type Limits } from './span-limits';

/** An environment: `process.env` or a test's record. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The settings `start()` acts on, after options and environment are merged. */
export interface DistroConfig {
  readonly disabled: boolean;
  readonly logLevel: DiagLogLevel;
  readonly exporters: readonly Exclude<TracesExporterName, 'none'>[];
  /** True when the console tree was chosen because nothing else was configured. */
  readonly consoleByDefault: boolean;
  readonly protocol: OtlpProtocol;
  readonly propagators: readonly Exclude<PropagatorName, 'none'>[];
  readonly batch: Readonly<Required<Record<BatchKey, number>>>;
  readonly engine: EngineName;
  readonly shutdown: Readonly<Required<ShutdownOptions>> | false;
  /** The span limits, every variable checked (passed to the provider explicitly). */
  readonly limits: Limits;
  /**
   * The OTLP exporter's timeout when OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT is out of a
   * timer's range (the exporter would take it): its default, passed explicitly.
   */
  readonly otlpTimeoutMillis: number | undefined;
  /** OTEL_ASYNC_CONTEXT_CONSOLE_FILE: where the console tree and diagnostics go instead of stderr. */
  readonly consoleFile: string | undefined;
  /** The context doctor (`DiagnoseSpanProcessor`) is added. */
  readonly diagnose: boolean;
}

/** What {@link readConfig} returns: the settings and one message per bad value. */
export interface ConfigResult {
  readonly config: DistroConfig;
  readonly problems: readonly string[];
}

type BatchKey = 'maxQueueSize' | 'maxExportBatchSize' | 'scheduledDelayMillis' | 'exportTimeoutMillis';

const BATCH: readonly (readonly [BatchKey, string, number])[] = [
  ['maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE', 2048],
  ['maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512],
  ['scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY', 5000],
  ['exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT', 30000],
];
/** The largest delay a Node timer takes; above it Node warns and fires after 1 ms. */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1;
/** The OTLP exporters' default timeout. */
const OTLP_TIMEOUT_DEFAULT = 10000;
const LOG_LEVELS = ['NONE', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'VERBOSE', 'ALL'];

/** The default signal and exit handling. */
export const DEFAULT_SHUTDOWN: Readonly<Required<ShutdownOptions>> = Object.freeze({
  signals: Object.freeze(['SIGTERM', 'SIGINT'] as NodeJS.Signals[]),
  timeoutMillis: 2000,
  beforeExit: true,
});

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

/** Whether OTEL_SDK_DISABLED asks for a no-op (checked before anything else is read). */
export function isDisabled(options: StartOptions, env: Env, problems?: string[]): boolean {
  if (options.disabled !== undefined) return options.disabled;
  const raw = value(env, 'OTEL_SDK_DISABLED')?.toLowerCase();
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  problems?.push(`OTEL_SDK_DISABLED must be 'true' or 'false'; using 'false'`);
  return false;
}

function readLogLevel(options: StartOptions, env: Env, problems: string[]): DiagLogLevel {
  if (options.logLevel !== undefined) return options.logLevel;
  const raw = value(env, 'OTEL_LOG_LEVEL');
  if (raw === undefined) return DiagLogLevel.INFO;
  if (!LOG_LEVELS.includes(raw.toUpperCase())) {
    problems.push(`OTEL_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got '${raw}'); using INFO`);
    return DiagLogLevel.INFO;
  }
  return diagLogLevelFromString(raw) ?? DiagLogLevel.INFO;
}

/** Splits a comma-separated list, keeping the known entries and reporting the others. */
function readList<T extends string>(env: Env, name: string, known: readonly T[], problems: string[]): T[] | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  const entries = raw.split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  const kept = entries.filter((e): e is T => (known as readonly string[]).includes(e));
  const unknown = entries.filter((e) => !(known as readonly string[]).includes(e));
  if (unknown.length > 0) {
    problems.push(`${name}: unsupported value(s) ${unknown.map((u) => `'${u}'`).join(', ')} ignored (supported: ${known.join(', ')})`);
  }
  return kept.length > 0 ? [...new Set(kept)] : undefined;
}

function otlpEndpointConfigured(options: StartOptions, env: Env): boolean {
  return (
    options.otlp?.endpoint !== undefined ||
    value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined ||
    value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined
  );
}

function readExporters(options: StartOptions, env: Env, problems: string[]) {
  const chosen = options.exporters ?? readList(env, 'OTEL_TRACES_EXPORTER', EXPORTER_NAMES, problems);
  if (chosen === undefined) {
    // Not chosen: OTLP when a collector is configured, else the console tree.
    const consoleByDefault = !otlpEndpointConfigured(options, env);
    return { exporters: consoleByDefault ? (['console'] as const) : (['otlp'] as const), consoleByDefault };
  }
  // 'none' alone (or with others) means no exporter, as the specification says.
  const exporters = chosen.includes('none') ? [] : chosen.filter((e) => e !== 'none');
  return { exporters: exporters as Exclude<TracesExporterName, 'none'>[], consoleByDefault: false };
}

function readProtocol(options: StartOptions, env: Env, problems: string[]): OtlpProtocol {
  if (options.otlp?.protocol !== undefined) return options.otlp.protocol;
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const raw = value(env, name);
    if (raw === undefined) continue;
    if ((OTLP_PROTOCOLS as readonly string[]).includes(raw.toLowerCase())) return raw.toLowerCase() as OtlpProtocol;
    problems.push(`${name} must be one of ${OTLP_PROTOCOLS.join(', ')} (got '${raw}'); using http/protobuf`);
    return 'http/protobuf';
  }
  return 'http/protobuf';
}

function readBatch(options: StartOptions, env: Env, problems: string[]): Required<Record<BatchKey, number>> {
  const batch = {} as Record<BatchKey, number>;
  for (const [key, name, fallback] of BATCH) {
    const given = options.batch?.[key];
    const raw = value(env, name);
    if (given !== undefined) batch[key] = given;
    else if (raw === undefined) batch[key] = fallback;
    else {
      const n = Number(raw);
      const timer = key === 'scheduledDelayMillis' || key === 'exportTimeoutMillis';
      const ok = Number.isSafeInteger(n) && (n > 0 || (n === 0 && key === 'scheduledDelayMillis')) && (!timer || n <= MAX_TIMER_MILLIS);
      const expected = timer ? `an integer from ${key === 'scheduledDelayMillis' ? 0 : 1} to ${MAX_TIMER_MILLIS}` : 'a positive integer';
      if (!ok) problems.push(`${name} must be ${expected} (got '${raw}'); using ${fallback}`);
      batch[key] = ok ? n : fallback;
    }
  }
  if (batch.maxExportBatchSize > batch.maxQueueSize) {
    problems.push(
      `OTEL_BSP_MAX_EXPORT_BATCH_SIZE (${batch.maxExportBatchSize}) exceeds OTEL_BSP_MAX_QUEUE_SIZE (${batch.maxQueueSize}); using ${batch.maxQueueSize}`,
    );
    batch.maxExportBatchSize = batch.maxQueueSize;
  }
  return batch;
}

/**
 * OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT is read by the exporter, which checks only
 * that it is a number > 0; a value beyond a timer's range is caught here and
 * the default passed explicitly. Other bad values are the exporter's to report.
 */
function readOtlpTimeout(options: StartOptions, env: Env, problems: string[]): number | undefined {
  if (options.otlp?.timeoutMillis !== undefined) return undefined;
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const raw = value(env, name);
    if (raw === undefined) continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n > MAX_TIMER_MILLIS) {
      problems.push(`${name} must be at most ${MAX_TIMER_MILLIS} ms (got '${raw}'); using ${OTLP_TIMEOUT_DEFAULT}`);
      return OTLP_TIMEOUT_DEFAULT;
    }
    return undefined;
  }
  return undefined;
}

/** Why the OTLP exporter cannot work with the endpoint or headers it would use, if it cannot. */
function otlpProblem(options: StartOptions, env: Env, protocol: OtlpProtocol): string | undefined {
  if (options.otlp?.endpoint === undefined) {
    for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
      const raw = value(env, name);
      if (raw === undefined) continue;
      const problem = otlpEndpointProblem(raw, protocol);
      if (problem !== undefined) return `${name} ${problem}`;
      break;
    }
  }
  return unsendableHeader(env, options.otlp, protocol);
}

/** Drops `otlp` from the exporters when its endpoint or headers cannot work; reports why, once. */
function usableExporters(
  exporters: readonly Exclude<TracesExporterName, 'none'>[],
  options: StartOptions,
  env: Env,
  protocol: OtlpProtocol,
  problems: string[],
): Exclude<TracesExporterName, 'none'>[] {
  if (!exporters.includes('otlp')) return [...exporters];
  const problem = otlpProblem(options, env, protocol);
  if (problem === undefined) return [...exporters];
  problems.push(`${problem}; the OTLP exporter is off`);
  return exporters.filter((e) => e !== 'otlp');
}

function readEngine(options: StartOptions, env: Env, problems: string[]): EngineName {
  if (options.engine !== undefined) return options.engine;
  const raw = value(env, 'OTEL_ASYNC_CONTEXT_ENGINE');
  if (raw === undefined) return 'native';
  const engine = parseEngineName(raw, 'environment');
  if (engine !== undefined) return engine;
  problems.push(`OTEL_ASYNC_CONTEXT_ENGINE must be ${ENGINE_NAMES_TEXT} (got '${raw}'); using native`);
  return 'native';
}

function readDiagnose(options: StartOptions, env: Env, problems: string[]): boolean {
  if (options.diagnose !== undefined) return options.diagnose;
  const { on, problem } = readDiagnoseEnv(env);
  if (problem !== undefined) problems.push(problem);
  return on;
}

function readShutdown(options: StartOptions, env: Env, problems: string[]): Required<ShutdownOptions> | false {
  if (options.shutdown === false) return false;
  const shutdown = { ...DEFAULT_SHUTDOWN, ...(options.shutdown ?? {}) } as Required<ShutdownOptions>;
  const raw = value(env, 'OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT');
  if (options.shutdown?.timeoutMillis === undefined && raw !== undefined) {
    const n = Number(raw);
    if (Number.isInteger(n) && n > 0 && n <= MAX_TIMER_MILLIS) shutdown.timeoutMillis = n;
    else {
      problems.push(
        `OTEL_ASYNC_CONTEXT_SHUTDOWN_TIMEOUT must be a positive integer of milliseconds up to ${MAX_TIMER_MILLIS} (got '${raw}'); using ${DEFAULT_SHUTDOWN.timeoutMillis}`,
      );
    }
  }
  return shutdown;
}

/**
 * Merges `options` over the environment. Returns the settings and the problems
 * found (one message per bad variable; header values are never included).
 */
export function readConfig(options: StartOptions = {}, env: Env = process.env): ConfigResult {
  const problems: string[] = [];
  const disabled = isDisabled(options, env, problems);
  const logLevel = readLogLevel(options, env, problems);
  const chosen = readExporters(options, env, problems);
  const protocol = readProtocol(options, env, problems);
  const exporters = usableExporters(chosen.exporters, options, env, protocol, problems);
  const consoleByDefault = chosen.consoleByDefault;
  checkHeaderShape(env, problems);
  const propagatorList = options.propagators ?? readList(env, 'OTEL_PROPAGATORS', PROPAGATOR_NAMES, problems);
  const propagators = (propagatorList ?? ['tracecontext', 'baggage']).filter(
    (p): p is Exclude<PropagatorName, 'none'> => p !== 'none',
  );
  const config: DistroConfig = {
    disabled,
    logLevel,
    exporters,
    consoleByDefault,
    protocol,
    propagators: propagatorList?.includes('none') ? [] : propagators,
    batch: readBatch(options, env, problems),
    engine: readEngine(options, env, problems),
    shutdown: readShutdown(options, env, problems),
    limits: readSpanLimits(env, problems),
    otlpTimeoutMillis: readOtlpTimeout(options, env, problems),
    consoleFile: value(env, CONSOLE_FILE_VARIABLE),
    diagnose: readDiagnose(options, env, problems),
  };
  return { config, problems };
}
