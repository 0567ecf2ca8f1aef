/**
 * The diag logger's filter for repeated problems at run time. When the
 * collector is down, slow or failing, the SDK and the OTLP exporter log every
 * failed batch and every episode of a full queue; a service under load would
 * write hundreds of identical lines a minute. Here a message is written the
 * first time, its repeats (the same text once numbers are masked: ports,
 * counts, durations) are counted, and the counts are written in one summary by
 * `shutdown()`, or with the message when it comes back after `intervalMillis`.
 * `debug` and `verbose` are never filtered: whoever asks for them wants all.
 */
import type { DiagLogger, DiagLogFunction } from '@opentelemetry/api';

/** Distinct messages followed at most; beyond that new messages are written unfiltered. */
const MAX_KEYS = 256;
/** The SDK's batch processor's message for spans dropped from a full queue. */
const DROPPED = /^Dropped (\d+) spans because maxQueueSize reached/;

interface Seen {
  /** The message as first written, shortened, for the summary. */
  readonly sample: string;
  lastWritten: number;
  /** Repeats not written since `lastWritten`. */
  repeats: number;
}

function text(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : safeJson(a))).join(' ');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Writes each distinct message once per interval; counts the rest. */
export class RepeatFilter implements DiagLogger {
  readonly #sink: DiagLogger;
  readonly #intervalMillis: number;
  readonly #seen = new Map<string, Seen>();
  #droppedSpans = 0;

  /**
   * @param sink where messages go.
   * @param intervalMillis after how long a repeated message is written again (with its count); default 5 minutes.
   */
  constructor(sink: DiagLogger, intervalMillis = 5 * 60_000) {
    this.#sink = sink;
    this.#intervalMillis = intervalMillis;
  }

  /** Repeats counted and not written so far, over all messages. */
  get suppressed(): number {
    let n = 0;
    for (const seen of this.#seen.values()) n += seen.repeats;
    return n;
  }

  #filter(level: 'error' | 'warn' | 'info', message: string, args: unknown[]): void {
    const all = text([message, ...args]);
    const dropped = DROPPED.exec(all);
    if (dropped) this.#droppedSpans += Number(dropped[1]);
    const key = `${level}:${all.replace(/-?\d+/g, '#').slice(0, 300)}`;
    const seen = this.#seen.get(key);
    const now = Date.now();
    if (seen === undefined) {
      if (this.#seen.size < MAX_KEYS) this.#seen.set(key, { sample: all.split('\n')[0].slice(0, 160), lastWritten: now, repeats: 0 });
      this.#sink[level](message, ...args);
      return;
    }
    if (now - seen.lastWritten < this.#intervalMillis) {
      seen.repeats++;
      return;
    }
    const repeats = seen.repeats;
    seen.repeats = 0;
    seen.lastWritten = now;
    this.#sink[level](message, ...args, ...(repeats > 0 ? [`(otel-async-context: ${repeats} more times since it was last logged)`] : []));
  }

  /**
   * Writes one line with the repeats not written so far (and the total of
   * spans dropped from full queues), if there were any; then starts counting
   * afresh.
   */
  summarize(): void {
    const repeated = [...this.#seen.values()].filter((s) => s.repeats > 0);
    if (repeated.length === 0) return;
    const list = repeated.map((s) => `${s.repeats}x "${s.sample}"`).join('; ');
    const dropped = this.#droppedSpans > 0 ? ` ${this.#droppedSpans} spans were dropped in all because a queue was full.` : '';
    this.#sink.warn(`otel-async-context: repeated diagnostics not logged: ${list}.${dropped}`);
    for (const s of repeated) s.repeats = 0;
  }

  readonly error: DiagLogFunction = (message, ...args) => this.#filter('error', message, args);
  readonly warn: DiagLogFunction = (message, ...args) => this.#filter('warn', message, args);
  readonly info: DiagLogFunction = (message, ...args) => this.#filter('info', message, args);
  readonly debug: DiagLogFunction = (message, ...args) => this.#sink.debug(message, ...args);
  readonly verbose: DiagLogFunction = (message, ...args) => this.#sink.verbose(message, ...args);
}
