/**
 * Renders the spans of one trace, as one process saw them, as an indented tree:
 * each span with its kind, duration and status, and its events (lifecycle
 * events included) beneath it, with their offset from the span's start.
 */
import { SpanKind, SpanStatusCode, type AttributeValue, type HrTime } from '@opentelemetry/api';
import { hrTimeToMicroseconds } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { escapeControl } from './escape-control';

/** How much of each span the tree shows. */
export interface TreeLimits {
  /** Events listed under each span before the rest are counted; default 8. */
  readonly eventsPerSpan?: number;
  /** Attributes listed on each event line; default 4. */
  readonly attributesPerEvent?: number;
}

function ms(time: HrTime): string {
  const us = hrTimeToMicroseconds(time);
  return us >= 1000 ? `${(us / 1000).toFixed(1)} ms` : `${Math.round(us)} µs`;
}

function offset(from: HrTime, to: HrTime): string {
  const us = hrTimeToMicroseconds(to) - hrTimeToMicroseconds(from);
  return `+${(us / 1000).toFixed(2)} ms`;
}

function show(value: AttributeValue | undefined): string {
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return Array.isArray(value) ? `[${value.join(',')}]` : String(value);
}

/** What an HTTP span was about: the path (server) or URL (client) and the status code. */
function httpSummary(span: ReadableSpan): string {
  const a = span.attributes;
  const target = a['url.path'] ?? a['http.target'] ?? a['url.full'] ?? a['http.url'];
  const code = a['http.response.status_code'] ?? a['http.status_code'];
  return `${target !== undefined ? ` ${show(target)}` : ''}${code !== undefined ? ` → ${show(code)}` : ''}`;
}

function spanLine(span: ReadableSpan): string {
  const status =
    span.status.code === SpanStatusCode.ERROR ? `  ERROR${span.status.message ? ` ${span.status.message}` : ''}` : '';
  return `${span.name}${httpSummary(span)}  [${SpanKind[span.kind]}]  ${ms(span.duration)}${status}  span ${span.spanContext().spanId}`;
}

/** The lifecycle summary (async.resources.* attributes), when the span has one. */
function lifecycleSummary(span: ReadableSpan): string[] {
  const a = span.attributes;
  const created = a['async.resources.created'];
  if (created === undefined || created === 0) return [];
  const byType = (prefix: string) =>
    Object.entries(a)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => `${k.slice(prefix.length)} ${show(v)}`)
      .join(', ');
  const types = byType('async.resources.created_by_type.');
  const pending = a['async.resources.pending'] ?? 0;
  const pendingTypes = byType('async.resources.pending_by_type.');
  return [
    `· async resources: ${show(created)} created${types ? ` (${types})` : ''}, ${show(pending)} pending${pendingTypes ? ` (${pendingTypes})` : ''}, ${show(a['async.callbacks'] ?? 0)} callbacks`,
  ];
}

function eventLines(span: ReadableSpan, limits: Required<TreeLimits>): string[] {
  const shown = span.events.slice(0, limits.eventsPerSpan).map((event) => {
    const attrs = Object.entries(event.attributes ?? {})
      .slice(0, limits.attributesPerEvent)
      .map(([k, v]) => `${k}=${show(v)}`)
      .join(' ');
    return `· ${event.name} ${offset(span.startTime, event.time)}${attrs ? `  ${attrs}` : ''}`;
  });
  const hidden = span.events.length - shown.length + span.droppedEventsCount;
  if (hidden > 0) shown.push(`· … ${hidden} more event(s)`);
  return shown;
}

/** Levels of indentation drawn; deeper spans keep that indentation and show their depth instead. */
export const MAX_DRAWN_DEPTH = 32;

interface Pending {
  readonly span: ReadableSpan;
  /** The indentation of the span's own line. */
  readonly prefix: string;
  readonly last: boolean;
  readonly depth: number;
}

/** A span's children, in start order. */
function sortedChildren(span: ReadableSpan, children: ReadonlyMap<string, readonly ReadableSpan[]>): ReadableSpan[] {
  return [...(children.get(span.spanContext().spanId) ?? [])].sort(
    (a, b) => hrTimeToMicroseconds(a.startTime) - hrTimeToMicroseconds(b.startTime),
  );
}

/**
 * Renders the tree under `root` from `children` (parent span id → spans).
 * Returns the lines, without a trailing newline. Every line has its control
 * characters escaped (span names, attributes and messages come from outside).
 * The walk is iterative, so a chain of any depth prints; indentation stops
 * growing at {@link MAX_DRAWN_DEPTH} levels, where lines say their depth.
 */
export function renderTree(
  root: ReadableSpan,
  children: ReadonlyMap<string, readonly ReadableSpan[]>,
  limits: TreeLimits = {},
): string[] {
  const all: Required<TreeLimits> = { eventsPerSpan: 8, attributesPerEvent: 4, ...limits };
  const lines: string[] = [];
  const stack: Pending[] = [{ span: root, prefix: '', last: true, depth: 0 }];
  while (stack.length > 0) {
    const { span, prefix, last, depth } = stack.pop()!;
    const top = depth === 0;
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    const deep = depth > MAX_DRAWN_DEPTH ? `[depth ${depth}] ` : '';
    lines.push(escapeControl(`${prefix}${branch}${deep}${spanLine(span)}`));
    const inner = top ? '' : depth > MAX_DRAWN_DEPTH ? prefix : `${prefix}${last ? '   ' : '│  '}`;
    const kids = sortedChildren(span, children);
    for (const event of [...lifecycleSummary(span), ...eventLines(span, all)]) {
      lines.push(escapeControl(`${inner}${kids.length > 0 ? '│ ' : '  '} ${event}`));
    }
    // Pushed last child first, so that the first child is rendered next.
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ span: kids[i]!, prefix: inner, last: i === kids.length - 1, depth: depth + 1 });
    }
  }
  return lines;
}

/** The heading of a group of trees: service, trace id, and where the roots' parent lives. */
export function treeHeading(root: ReadableSpan): string {
  const service = show(root.resource.attributes['service.name']);
  const parent = root.parentSpanContext;
  const where = parent
    ? parent.isRemote
      ? `, continues remote parent ${parent.spanId}`
      : `, parent ${parent.spanId} not exported here`
    : '';
  return escapeControl(`── trace ${root.spanContext().traceId}  service ${service}${where}`);
}
