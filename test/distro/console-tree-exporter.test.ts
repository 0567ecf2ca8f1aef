/**
 * ConsoleTreeExporter: each trace, as this process recorded it, printed as an
 * indented tree when its local root ends; spans that end after their root are
 * printed on the next flush.
 */
import { context, ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncContextManager } from '../../src/context/index';
import { ConsoleTreeExporter } from '../../src/distro/index';
import { MAX_DRAWN_DEPTH } from '../../src/distro/trace-tree';

function setup(options: { eventsPerSpan?: number } = {}) {
  let out = '';
  const writes: string[] = [];
  const exporter = new ConsoleTreeExporter({ stream: { write: (s: string) => (writes.push(s), (out += s), true) } as never, ...options });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'tree-test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const manager = new AsyncContextManager().enable();
  context.setGlobalContextManager(manager);
  const tracer = provider.getTracer('t');
  return { tracer, exporter, output: () => out, writes, done: () => { context.disable(); manager.disable(); } };
}

afterEach(() => context.disable());

/** Strips durations and ids, which vary. */
const shape = (text: string) =>
  text.replace(/\d+(\.\d+)? (ms|µs)/g, 'T').replace(/\b[0-9a-f]{32}\b/g, 'TRACE').replace(/\b[0-9a-f]{16}\b/g, 'SPAN').replace(/\+T/g, '+T');

it('prints the tree when the root ends, children in start order, events under their span', () => {
  const t = setup();
  t.tracer.startActiveSpan('root', { kind: SpanKind.SERVER, attributes: { 'url.path': '/a', 'http.response.status_code': 200 } }, (root: Span) => {
    t.tracer.startActiveSpan('first', (first) => {
      first.addEvent('async.init', { 'async.type': 'Timeout', 'async.id': 7 });
      t.tracer.startSpan('grandchild').end();
      first.end();
    });
    t.tracer.startSpan('second', { kind: SpanKind.CLIENT }).end();
    expect(t.output()).toBe('');
    root.end();
  });
  expect(t.writes).toHaveLength(1); // one write per trace: lines of two processes do not interleave
  expect(shape(t.output())).toBe(
    [
      '── trace TRACE  service tree-test',
      'root /a → 200  [SERVER]  T  span SPAN',
      '├─ first  [INTERNAL]  T  span SPAN',
      '│  │  · async.init +T  async.type=Timeout async.id=7',
      '│  └─ grandchild  [INTERNAL]  T  span SPAN',
      '└─ second  [CLIENT]  T  span SPAN',
      '',
      '',
    ].join('\n'),
  );
  t.done();
});

it('a root with a remote parent says which span it continues', () => {
  const t = setup();
  const remote = new W3CTraceContextPropagator().extract(ROOT_CONTEXT, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }, {
    get: (c: Record<string, string>, k: string) => c[k],
    keys: (c: Record<string, string>) => Object.keys(c),
  });
  t.tracer.startSpan('task', {}, remote).end();
  expect(t.output()).toMatch(/^── trace 0af7651916cd43dd8448eb211c80319c  service tree-test, continues remote parent b7ad6b7169203331\ntask  \[INTERNAL\]/);
  t.done();
});

it('spans that end after their root are printed on flush; events beyond the limit are counted', async () => {
  const t = setup({ eventsPerSpan: 1 });
  let late: Span | undefined;
  t.tracer.startActiveSpan('root', (root) => {
    late = t.tracer.startSpan('late');
    root.addEvent('one');
    root.addEvent('two');
    root.addEvent('three');
    root.end();
  });
  expect(shape(t.output())).toMatch(/root  \[INTERNAL\]  T  span SPAN\n   · one \+T\n   · … 2 more event\(s\)\n/);
  late!.end();
  expect(t.output()).not.toMatch(/late/);
  await t.exporter.forceFlush();
  expect(shape(t.output())).toMatch(/── trace TRACE  service tree-test, parent SPAN not exported here\nlate  \[INTERNAL\]/);
  await t.exporter.shutdown();
  const results: unknown[] = [];
  t.exporter.export([], (r) => results.push(r));
  expect(results).toEqual([expect.objectContaining({ code: 1 })]);
  t.done();
});

it('control characters from outside are printed as visible escapes, wherever they appear', () => {
  const t = setup();
  const hostile = '\x1b[2J\x1b]0;title\x07\r\nforged\x7f\x85\u2028\u202e';
  const escaped = '\\x1b[2J\\x1b]0;title\\x07\\r\\nforged\\x7f\\x85\\u2028\\u202e';
  t.tracer.startActiveSpan(`GET ${hostile}`, { attributes: { 'url.path': hostile } }, (root) => {
    root.addEvent(`event ${hostile}`, { [`key ${hostile}`]: hostile, list: [hostile] });
    root.recordException(new Error(hostile));
    root.setStatus({ code: 2, message: hostile });
    root.end();
  });
  const out = t.output();
  expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e]/);
  const lines = out.split('\n');
  expect(lines.filter((l) => l.startsWith('forged'))).toEqual([]);
  expect(lines[1]).toContain(`GET ${escaped} ${escaped}  [INTERNAL]`); // the name, then url.path
  expect(lines[1]).toContain(`ERROR ${escaped}`);
  expect(out).toContain(`· event ${escaped}`);
  expect(out).toContain(`key ${escaped}=`);
  expect(out).toMatch(/· exception \+\S+ ms {2}exception\.type=Error exception\.message=\\x1b\[2J/);
  t.done();
});

it('the service name of the resource is escaped too', () => {
  let out = '';
  const exporter = new ConsoleTreeExporter({ stream: { write: (s: string) => ((out += s), true) } as never });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'svc\x1b[31m\nforged' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  provider.getTracer('t').startSpan('one').end();
  expect(out.split('\n')[0]).toMatch(/^── trace [0-9a-f]{32}  service svc\\x1b\[31m\\nforged$/);
});

it('a chain 10,000 spans deep prints, indentation capped, each line saying its depth', () => {
  const t = setup();
  const DEPTH = 10_000;
  const spans: Span[] = [];
  let ctx = ROOT_CONTEXT;
  for (let i = 0; i < DEPTH; i++) {
    const span = t.tracer.startSpan(`level ${i}`, {}, ctx);
    spans.push(span);
    ctx = trace.setSpan(ROOT_CONTEXT, span);
  }
  // Children end first, as they do in real code: the tree prints when the root ends.
  for (let i = DEPTH - 1; i >= 0; i--) spans[i]!.end();
  const lines = t.output().split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(DEPTH + 1); // the heading and one line per span
  expect(lines[1]).toMatch(/^level 0 {2}\[INTERNAL\]/);
  expect(lines[DEPTH]).toMatch(new RegExp(`└─ \\[depth ${DEPTH - 1}\\] level ${DEPTH - 1} {2}\\[INTERNAL\\]`));
  // Indentation stops growing: the deepest line is no longer than one at the cap plus its label.
  expect(lines[DEPTH]!.length).toBeLessThan(lines[MAX_DRAWN_DEPTH + 1]!.length + 40);
  t.done();
});
