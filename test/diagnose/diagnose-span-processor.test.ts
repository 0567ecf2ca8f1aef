/**
 * DiagnoseSpanProcessor in process, on both engines: leaked and lost context
 * with the resource, span and trigger chain that explain them, the attributes
 * on the span, one diag report per distinct finding with a count, the summary
 * at shutdown, no finding for spans in their right place, opt-in, bounded.
 */
import { context, diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, trace, type DiagLogger, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { EventEmitter } from 'node:events';
import { AsyncContextManager } from '../../src/context/index';
import { DiagnoseSpanProcessor, DiagnosisAttribute } from '../../src/diagnose/index';
import { MAX_FOLLOWED_RESOURCES } from '../../src/diagnose/context-doctor';
import { AsyncResource } from '../../src/hooks/index';
import { ENGINES } from '../engines';

const THIS_FILE = /^test\/diagnose\/diagnose-span-processor\.test\.ts:\d+:\d+$/;

describe.each(ENGINES)('DiagnoseSpanProcessor (%s engine)', (engine) => {
  let doctor: DiagnoseSpanProcessor;
  let exporter: InMemorySpanExporter;
  let provider: BasicTracerProvider;
  let warnings: string[];
  const tracer = () => provider.getTracer('diagnose-test');
  const finished = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);
  const within = <T>(span: Span, fn: () => T): T => context.with(trace.setSpan(context.active(), span), fn);
  const later = <T>(fn: () => T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(fn()), 1));

  beforeEach(() => {
    context.setGlobalContextManager(new AsyncContextManager({ engine }).enable());
    warnings = [];
    const logger: DiagLogger = {
      error: (m) => warnings.push(`error: ${m}`), warn: (m) => warnings.push(m), info() {}, debug() {}, verbose() {},
    };
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    doctor = new DiagnoseSpanProcessor();
    exporter = new InMemorySpanExporter();
    provider = new BasicTracerProvider({ spanProcessors: [doctor, new SimpleSpanProcessor(exporter)] });
  });
  afterEach(async () => {
    await provider.shutdown();
    diag.disable();
    context.disable();
  });

  test('off until the first span: no hook; shutdown disables it and examines nothing more', async () => {
    expect(doctor.enabled).toBe(false);
    tracer().startSpan('first').end();
    expect(doctor.enabled).toBe(true);
    await doctor.shutdown();
    expect([doctor.enabled, doctor.followedResources]).toEqual([false, 0]);
    const ended = tracer().startSpan('ended');
    ended.end();
    tracer().startSpan('late', {}, trace.setSpan(ROOT_CONTEXT, ended)).end();
    expect(doctor.diagnoses).toEqual([]);
  });

  test('leaked: a timer created under a span that ended carries it to a later span', async () => {
    const request = tracer().startSpan('GET /users/1');
    const fired = within(request, () => later(() => tracer().startSpan('db.query', { kind: SpanKind.CLIENT }).end()));
    request.end();
    await fired;
    const [span] = finished('db.query');
    expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    const a = span.attributes;
    expect(a).toMatchObject({
      [DiagnosisAttribute.diagnosis]: 'leaked_context',
      [DiagnosisAttribute.parent]: 'GET /users/1',
      [DiagnosisAttribute.resourceType]: 'Timeout',
      [DiagnosisAttribute.resourceSpan]: 'GET /users/1',
      [DiagnosisAttribute.resourceSpanId]: request.spanContext().spanId,
    });
    expect(a[DiagnosisAttribute.parentEndedMsAgo]).toBeGreaterThanOrEqual(0);
    expect(a[DiagnosisAttribute.location]).toMatch(THIS_FILE);
    expect((a[DiagnosisAttribute.triggerChain] as string[])[0]).toMatch(/^Timeout \d+ created under 'GET \/users\/1' \(ended .+ ago\)$/);
    expect(a[DiagnosisAttribute.fix]).toMatch(/^bind the callback \(test\/diagnose\/.+\) where it is handed over: context\.bind\(context\.active\(\), callback\)/);
    expect(a[DiagnosisAttribute.message]).toMatch(/^leaked context: span 'db\.query' \(CLIENT\) started under 'GET \/users\/1', which ended .+ before\. It runs in a callback of Timeout \d+, created under 'GET \/users\/1'/);
  });

  test('each distinct finding is reported once through diag, counted, and summarised at shutdown', async () => {
    for (let i = 0; i < 3; i++) {
      const request = tracer().startSpan('request');
      const fired = within(request, () => later(() => tracer().startSpan('late work').end()));
      request.end();
      await fired;
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^otel-async-context doctor: leaked context: span 'late work'/);
    expect(doctor.diagnoses).toMatchObject([{ kind: 'leaked_context', spanName: 'late work', resourceType: 'Timeout', resourceSpan: 'request', count: 3 }]);
    expect(finished('late work').every((s) => s.attributes[DiagnosisAttribute.diagnosis] === 'leaked_context')).toBe(true);
    await provider.shutdown();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/^otel-async-context doctor: 1 distinct finding\(s\) of spans in the wrong context:\n {2}3 × leaked context: span 'late work', carried by Timeout from 'request' at test\/diagnose\//);
  });

  test('lost: a CLIENT span with no parent in a callback of a resource created under a span', async () => {
    const request = tracer().startSpan('GET /orders');
    await within(request, () => later(() => context.with(ROOT_CONTEXT, () => {
      tracer().startSpan('db.query', { kind: SpanKind.CLIENT }).end();
      tracer().startSpan('incoming', { kind: SpanKind.SERVER }).end();
      tracer().startSpan('message', { kind: SpanKind.CONSUMER }).end();
    })));
    request.end();
    expect(doctor.diagnoses).toMatchObject([{ kind: 'lost_context', spanName: 'db.query', resourceType: 'Timeout', resourceSpan: 'GET /orders', count: 1 }]);
    expect(finished('db.query')[0].attributes).toMatchObject({ [DiagnosisAttribute.diagnosis]: 'lost_context', [DiagnosisAttribute.resourceSpan]: 'GET /orders' });
    expect(finished('db.query')[0].attributes[DiagnosisAttribute.fix]).toMatch(/no context\.with\(ROOT_CONTEXT, \.\.\.\)/);
    expect(finished('incoming')[0].attributes[DiagnosisAttribute.diagnosis]).toBeUndefined();
    expect(finished('message')[0].attributes[DiagnosisAttribute.diagnosis]).toBeUndefined();
  });

  test('lost, through the trigger chain: dropped, then a timer of its own, then the span', async () => {
    const request = tracer().startSpan('GET /report');
    await within(request, () => later(() => context.with(ROOT_CONTEXT, () => new Promise<void>((resolve) => setImmediate(() => {
      tracer().startSpan('render').end();
      resolve();
    })))));
    request.end();
    const [finding] = doctor.diagnoses;
    expect(finding).toMatchObject({ kind: 'lost_context', spanName: 'render', resourceType: 'Timeout', resourceSpan: 'GET /report' });
    // The timer is destroyed once it has fired: the Immediate remembers it as its ancestor.
    expect(finished('render')[0].attributes[DiagnosisAttribute.triggerChain]).toEqual([
      expect.stringMatching(/^Immediate \d+$/),
      expect.stringMatching(/^Timeout \d+ created under 'GET \/report' \(running\)$/),
    ]);
  });

  test('an emitter fired from a timer of a span that ended: the fix binds the listener', async () => {
    const ticks = new EventEmitter();
    const startup = tracer().startSpan('startup');
    const timer = within(startup, () => setInterval(() => ticks.emit('tick'), 1));
    startup.end();
    await new Promise<void>((resolve) => ticks.once('tick', () => {
      tracer().startSpan('on tick').end();
      resolve();
    }));
    clearInterval(timer);
    expect(doctor.diagnoses).toMatchObject([{ kind: 'leaked_context', spanName: 'on tick', resourceType: 'Timeout', resourceSpan: 'startup' }]);
    expect(doctor.diagnoses[0].message).toMatch(/called by an EventEmitter/);
    expect(doctor.diagnoses[0].fix).toMatch(/^bind the listener to the context it is added in: emitter\.on\(event, context\.bind\(context\.active\(\), listener\)\)/);
  });

  test('no finding for spans in their place: live parents, roots outside any span\'s work, work bound back', async () => {
    const request = tracer().startSpan('request');
    await within(request, () => later(() => tracer().startSpan('child').end()));
    await within(request, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      tracer().startSpan('after await').end();
    });
    request.end();
    tracer().startSpan('root at top level', { kind: SpanKind.CLIENT }).end();
    await later(() => tracer().startSpan('root in a timer of no span', { kind: SpanKind.INTERNAL }).end());
    // The one finding here, so that the doctor is seen to be looking: a span bound to a request that has ended.
    context.bind(trace.setSpan(ROOT_CONTEXT, request), () => tracer().startSpan('bound to an ended span').end())();
    expect(doctor.diagnoses.map((d) => d.spanName)).toEqual(['bound to an ended span']);
  });

  test('memory is bounded however many resources never see destroy', () => {
    const span = tracer().startSpan('leaky');
    within(span, () => {
      for (let i = 0; i < MAX_FOLLOWED_RESOURCES + 1000; i++) new AsyncResource('NEVER_DESTROYED', { requireManualDestroy: true });
    });
    span.end();
    expect(doctor.followedResources).toBe(MAX_FOLLOWED_RESOURCES);
  });

  test('a failure inside the doctor is reported once and never reaches the application', () => {
    const broken = { get instrumentationScope() { throw new Error('boom'); } } as unknown as Parameters<DiagnoseSpanProcessor['onStart']>[0];
    tracer().startSpan('first').end();
    expect(() => doctor.onStart(broken, ROOT_CONTEXT)).not.toThrow();
    expect(() => doctor.onStart(broken, ROOT_CONTEXT)).not.toThrow();
    expect(warnings.filter((w) => w.startsWith('error:'))).toEqual(['error: otel-async-context: diagnose processor failed; the span is left as it is']);
  });
});
