/**
 * ConsoleTreeExporter: each trace, as this process recorded it, printed as an
 * indented tree when its local root ends; spans that end after their root are
 * printed on the next flush.
 */
import { context, ROOT_CONTEXT, SpanKind, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncContextManager } from '../../src/context/index';
import { ConsoleTreeExporter } from '../../src/distro/index';

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
