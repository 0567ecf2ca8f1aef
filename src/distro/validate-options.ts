/**
 * Checks `start()` options as given from JavaScript: a value of the wrong type
 * or out of range is dropped (so the environment or the default applies) and
 * reported, once, by its option name. Configuration never throws. Header values
 * are never included in a report.
 */
import { DiagLogLevel } from '@opentelemetry/api';
import { constants } from 'node:os';
import { ENGINE_NAMES_TEXT, parseEngineName } from '../hooks/storage/engine';
import { MAX_TIMER_MILLIS } from './config';
import { EXPORTER_NAMES, OTLP_PROTOCOLS, PROPAGATOR_NAMES, type StartOptions } from './options';

/** What {@link sanitizeOptions} returns. */
export interface SanitizedOptions {
  readonly options: StartOptions;
  /** Reports about the options object itself (made before the logger is chosen). */
  readonly early: readonly string[];
  readonly problems: readonly string[];
}

type Bag = Record<string, unknown>;

const isObject = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasMethods = (v: unknown, names: readonly string[]): boolean =>
  typeof v === 'object' && v !== null && names.every((n) => typeof (v as Bag)[n] === 'function');
const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
const positiveInteger = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;
/** A delay a Node timer takes: above 2^31-1 ms Node fires after 1 ms instead. */
const timer = (v: unknown): boolean => typeof v === 'number' && v <= MAX_TIMER_MILLIS;
const oneOf = (values: readonly unknown[]) => (v: unknown): boolean => values.includes(v);

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return typeof value === 'object' || typeof value === 'function' ? `a ${typeof value}` : String(value);
}

function validUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    return /^(https?|grpcs?):$/.test(new URL(v).protocol);
  } catch {
    return false;
  }
}

const SIGNALS = Object.keys(constants.signals);

/** The rule of each scalar option: name, check, what is expected. */
const SCALARS: readonly (readonly [keyof StartOptions, (v: unknown) => boolean, string])[] = [
  ['disabled', (v) => typeof v === 'boolean', 'a boolean'],
  ['serviceName', (v) => typeof v === 'string' && v !== '', 'a non-empty string'],
  ['resourceAttributes', isObject, 'an object of attributes'],
  ['sampler', (v) => hasMethods(v, ['shouldSample']), 'a Sampler'],
  ['logLevel', oneOf(Object.values(DiagLogLevel).filter((l) => typeof l === 'number')), 'a DiagLogLevel'],
  ['diagLogger', (v) => v === null || hasMethods(v, ['error', 'warn', 'info', 'debug', 'verbose']), 'a DiagLogger or null'],
  ['engine', (v) => parseEngineName(v) !== undefined, ENGINE_NAMES_TEXT],
  ['lifecycle', (v) => typeof v === 'boolean' || isObject(v), 'a boolean or lifecycle options'],
  ['diagnose', (v) => typeof v === 'boolean', 'a boolean'],
  ['consoleStream', (v) => hasMethods(v, ['write']), 'a writable stream'],
  [
    'defaultInstrumentations',
    (v) => typeof v === 'boolean' || (isObject(v) && Object.values(v).every(isObject)),
    'a boolean or an object of instrumentation configurations',
  ],
];

/** The rule of each list option: name, check of an entry, what is expected. */
const LISTS: readonly (readonly [keyof StartOptions, (v: unknown) => boolean, string])[] = [
  ['exporters', oneOf(EXPORTER_NAMES), "'otlp', 'console' or 'none'"],
  ['propagators', oneOf(PROPAGATOR_NAMES), "'tracecontext', 'baggage' or 'none'"],
  ['spanExporters', (v) => hasMethods(v, ['export', 'shutdown']), 'SpanExporters'],
  ['spanProcessors', (v) => hasMethods(v, ['onStart', 'onEnd', 'forceFlush', 'shutdown']), 'SpanProcessors'],
  ['instrumentations', (v) => hasMethods(v, ['enable', 'disable', 'setTracerProvider']), 'Instrumentations'],
];

/** Rules of the fields of the object options: option, field, check, expected. */
const FIELDS: readonly (readonly [string, string, (v: unknown) => boolean, string])[] = [
  ['otlp', 'protocol', oneOf(OTLP_PROTOCOLS), "'http/protobuf', 'http/json' or 'grpc'"],
  ['otlp', 'endpoint', validUrl, 'an http(s) URL'],
  ['otlp', 'headers', (v) => isObject(v) && Object.values(v).every((h) => typeof h === 'string'), 'an object of strings'],
  ['otlp', 'timeoutMillis', (v) => positive(v) && timer(v), `a number > 0 and <= ${MAX_TIMER_MILLIS}`],
  ['otlp', 'compression', oneOf(['gzip', 'none']), "'gzip' or 'none'"],
  ['batch', 'maxQueueSize', positiveInteger, 'an integer > 0'],
  ['batch', 'maxExportBatchSize', positiveInteger, 'an integer > 0'],
  ['batch', 'scheduledDelayMillis', (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && timer(v), `an integer from 0 to ${MAX_TIMER_MILLIS}`],
  ['batch', 'exportTimeoutMillis', (v) => positiveInteger(v) && timer(v), `an integer from 1 to ${MAX_TIMER_MILLIS}`],
  ['shutdown', 'signals', (v) => Array.isArray(v) && v.length > 0 && v.every((s) => SIGNALS.includes(s)), 'an array of signal names'],
  ['shutdown', 'timeoutMillis', (v) => positive(v) && timer(v), `a number > 0 and <= ${MAX_TIMER_MILLIS}`],
  ['shutdown', 'beforeExit', (v) => typeof v === 'boolean', 'a boolean'],
];

/**
 * Returns a copy of `input` holding only the well-formed options, and one
 * message per problem. Unknown keys are ignored, as the specification asks of
 * configuration that it does not understand.
 */
export function sanitizeOptions(input: unknown): SanitizedOptions {
  const early: string[] = [];
  const problems: string[] = [];
  if (input === undefined) return { options: {}, early, problems };
  if (!isObject(input)) {
    early.push(`start() options must be an object, got ${describe(input)}; using the environment`);
    return { options: {}, early, problems };
  }
  const out: Bag = {};
  for (const [name, ok, expected] of SCALARS) {
    const v = input[name];
    if (v === undefined) continue;
    if (ok(v)) out[name] = v;
    else problems.push(`option ${name} must be ${expected}, got ${describe(v)}; ignored`);
  }
  for (const [name, ok, expected] of LISTS) {
    const v = input[name];
    if (v === undefined) continue;
    if (!Array.isArray(v)) {
      problems.push(`option ${name} must be an array of ${expected}, got ${describe(v)}; ignored`);
      continue;
    }
    const bad = v.filter((e) => !ok(e));
    if (bad.length > 0) problems.push(`option ${name}: ${bad.map(describe).join(', ')} ignored (expected ${expected})`);
    out[name] = v.filter(ok);
  }
  for (const group of ['otlp', 'batch', 'shutdown']) {
    const v = input[group];
    if (v === undefined || (group === 'shutdown' && v === false)) {
      if (v === false) out[group] = false;
      continue;
    }
    if (!isObject(v)) {
      problems.push(`option ${group} must be an object${group === 'shutdown' ? ' or false' : ''}, got ${describe(v)}; ignored`);
      continue;
    }
    const fields: Bag = {};
    for (const [owner, field, ok, expected] of FIELDS) {
      if (owner !== group || v[field] === undefined) continue;
      if (ok(v[field])) fields[field] = v[field];
      else {
        // OTLP settings may carry credentials: their values are never shown.
        const value = v[field];
        const shown = group !== 'otlp' ? describe(value) : isObject(value) ? 'an object with non-string values' : `a value of type ${typeof value}`;
        problems.push(`option ${group}.${field} must be ${expected}, got ${shown}; ignored`);
      }
    }
    out[group] = fields;
  }
  return { options: out as StartOptions, early, problems };
}
