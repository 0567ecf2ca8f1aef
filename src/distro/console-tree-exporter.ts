/**
 * `ConsoleTreeExporter`: the embedded default. Prints each finished trace (the
 * part this process recorded) to a stream as an indented tree, so a service
 * run with no collector configured still shows what it did.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { invalidArgType, validateObject } from '../hooks/errors';
import { renderTree, treeHeading, type TreeLimits } from './trace-tree';

/** Options of {@link ConsoleTreeExporter}. */
export interface ConsoleTreeExporterOptions extends TreeLimits {
  /** Where trees are written; default `process.stderr` (standard output belongs to the application). */
  readonly stream?: NodeJS.WritableStream;
  /** Spans held while waiting for their local root before they are printed anyway; default 10000. */
  readonly maxPendingSpans?: number;
}

/** A local root: the first span of the trace in this process. */
function isLocalRoot(span: ReadableSpan): boolean {
  return span.parentSpanContext === undefined || span.parentSpanContext.isRemote === true;
}

/**
 * Buffers ended spans per trace and prints a trace's tree when its local root
 * span arrives (children end, and are exported, before their parent). Spans that
 * end after their root are printed on the next flush, as a continuation tree.
 */
export class ConsoleTreeExporter implements SpanExporter {
  readonly #stream: NodeJS.WritableStream;
  readonly #limits: TreeLimits;
  readonly #maxPending: number;
  readonly #pending = new Map<string, ReadableSpan[]>();
  #pendingCount = 0;
  #stopped = false;

  /** @throws TypeError (ERR_INVALID_ARG_TYPE) when `options` or `options.stream` has the wrong type. */
  constructor(options: ConsoleTreeExporterOptions = {}) {
    validateObject(options as unknown, 'options');
    const stream = options.stream as unknown;
    if (stream !== undefined && typeof (stream as { write?: unknown } | null)?.write !== 'function') {
      throw invalidArgType('options.stream', 'a writable stream (an object with write())', stream);
    }
    this.#stream = options.stream ?? process.stderr;
    this.#limits = options;
    this.#maxPending = options.maxPendingSpans ?? 10000;
  }

  /** Takes a batch of ended spans; prints the traces whose local roots are among them. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.#stopped) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('ConsoleTreeExporter is shut down') });
      return;
    }
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      const list = this.#pending.get(traceId);
      if (list) list.push(span);
      else this.#pending.set(traceId, [span]);
      this.#pendingCount++;
    }
    // Local roots of one trace with the same parent (say, tasks sent to a worker) print together.
    const groups = new Map<string, ReadableSpan[]>();
    for (const root of spans.filter(isLocalRoot)) {
      const key = `${root.spanContext().traceId}/${root.parentSpanContext?.spanId ?? ''}`;
      const group = groups.get(key);
      if (group) group.push(root);
      else groups.set(key, [root]);
    }
    let out = '';
    for (const roots of groups.values()) out += this.#take(roots[0]!.spanContext().traceId, roots);
    if (this.#pendingCount > this.#maxPending) out += this.#drain();
    if (out !== '') this.#write(out);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  /** Prints every span still held, as trees rooted at the spans whose parents are not held. */
  forceFlush(): Promise<void> {
    const out = this.#drain();
    if (out !== '') this.#write(out);
    return Promise.resolve();
  }

  /** Flushes, then refuses further batches. */
  shutdown(): Promise<void> {
    const done = this.forceFlush();
    this.#stopped = true;
    return done;
  }

  /** A stream that throws (closed, broken pipe) loses the tree, never the app. */
  #write(text: string): void {
    try {
      this.#stream.write(text);
    } catch {
      // nothing to report it to that would not be the same stream
    }
  }

  #drain(): string {
    let out = '';
    for (const [traceId, spans] of [...this.#pending]) {
      const ids = new Set(spans.map((s) => s.spanContext().spanId));
      const roots = spans.filter((s) => !s.parentSpanContext || !ids.has(s.parentSpanContext.spanId));
      out += this.#take(traceId, roots);
    }
    return out;
  }

  /** Removes the trees under `roots` from the buffer and renders them. */
  #take(traceId: string, roots: readonly ReadableSpan[]): string {
    const spans = this.#pending.get(traceId) ?? [];
    const children = new Map<string, ReadableSpan[]>();
    for (const span of spans) {
      const parent = span.parentSpanContext?.spanId;
      if (parent === undefined) continue;
      const list = children.get(parent);
      if (list) list.push(span);
      else children.set(parent, [span]);
    }
    const taken = new Set<ReadableSpan>();
    // Iterative: a chain of spans may be thousands deep.
    const mark = (root: ReadableSpan): void => {
      const stack = [root];
      while (stack.length > 0) {
        const span = stack.pop()!;
        taken.add(span);
        for (const kid of children.get(span.spanContext().spanId) ?? []) stack.push(kid);
      }
    };
    let out = '';
    let heading = '';
    for (const root of roots) {
      mark(root);
      const next = treeHeading(root);
      if (next !== heading) out += `${(heading = next)}\n`;
      out += `${renderTree(root, children, this.#limits).join('\n')}\n`;
    }
    if (out !== '') out += '\n';
    const rest = spans.filter((s) => !taken.has(s));
    this.#pendingCount -= spans.length - rest.length;
    if (rest.length > 0) this.#pending.set(traceId, rest);
    else this.#pending.delete(traceId);
    return out;
  }
}
