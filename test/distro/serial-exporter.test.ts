/**
 * One export in flight (src/distro/serial-exporter.ts). The SDK's BatchSpanProcessor
 * stops waiting for an export after exportTimeoutMillis and starts the next batch: in
 * front of a failing or hung exporter, exports pile up. Behind a SerialExporter, at
 * most one is in flight, the spans waiting are bounded, and those not confirmed can be
 * taken for the exit flush. The control runs show the same setup without the wrapper
 * does pile up, so the count can fail.
 */
import { trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SerialExporter } from '../../src/distro/serial-exporter';
import { capturingLogger, testOptions, withDistro } from './helpers';
import { diag } from '@opentelemetry/api';
import { sleep } from '../engines';

/** An exporter that counts exports in flight; each answers FAILED after `failAfterMs`, or never (`'hang'`). */
class CountingExporter implements SpanExporter {
  inFlight = 0;
  maxInFlight = 0;
  exports = 0;
  readonly pending: ((r: ExportResult) => void)[] = [];
  constructor(readonly behaviour: number | 'hang') {}
  export(_spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.exports++;
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    const answer = (r: ExportResult): void => {
      this.inFlight--;
      done(r);
    };
    if (this.behaviour === 'hang') this.pending.push(answer);
    else setTimeout(() => answer({ code: ExportResultCode.FAILED, error: new Error('collector down') }), this.behaviour);
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const BATCH = { maxExportBatchSize: 2, maxQueueSize: 8, scheduledDelayMillis: 1, exportTimeoutMillis: 5 };

/** Ends `n` spans, a few at a time, through a batch processor in front of `exporter`. */
async function drive(exporter: SpanExporter, n = 60): Promise<BasicTracerProvider> {
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, BATCH)] });
  const tracer = provider.getTracer('serial');
  for (let i = 0; i < n; i++) {
    tracer.startSpan(`s${i}`).end();
    if (i % 4 === 3) await sleep(3);
  }
  await sleep(30);
  return provider;
}

beforeAll(() => diag.setLogger(capturingLogger()));
afterAll(() => diag.disable());

describe.each([
  ['failing (answers FAILED after 20 ms)', 20],
  ['hung (never answers)', 'hang'],
] as const)('in front of a %s exporter', (_name, behaviour) => {
  it('without the wrapper, the batch processor lets exports pile up (control)', async () => {
    const exporter = new CountingExporter(behaviour);
    await drive(exporter);
    expect(exporter.maxInFlight).toBeGreaterThan(1);
    exporter.pending.splice(0).forEach((answer) => answer({ code: ExportResultCode.FAILED }));
  });

  it('behind a SerialExporter: at most one export in flight, the waiting spans bounded', async () => {
    const exporter = new CountingExporter(behaviour);
    const serial = new SerialExporter(exporter, { maxQueuedSpans: BATCH.maxQueueSize });
    let maxPending = 0;
    const watch = setInterval(() => (maxPending = Math.max(maxPending, serial.pendingSpans)), 1);
    await drive(serial);
    clearInterval(watch);
    expect(exporter.exports).toBeGreaterThan(behaviour === 'hang' ? 0 : 1);
    expect(exporter.maxInFlight).toBe(1);
    // The batch in flight (2 spans) plus at most maxQueuedSpans waiting behind it.
    expect(maxPending).toBeLessThanOrEqual(BATCH.maxExportBatchSize + BATCH.maxQueueSize);
    exporter.pending.splice(0).forEach((answer) => answer({ code: ExportResultCode.FAILED }));
  });
});

it('takePending() hands out the batch in flight and the queued ones; a late answer is then ignored', async () => {
  const exporter = new CountingExporter('hang');
  const serial = new SerialExporter(exporter, { maxQueuedSpans: 100 });
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(serial, { ...BATCH, maxQueueSize: 100 })] });
  const tracer = provider.getTracer('serial');
  for (let i = 0; i < 6; i++) tracer.startSpan(`p${i}`).end();
  await provider.forceFlush();
  expect(exporter.exports).toBe(1);
  expect(serial.pendingSpans).toBe(6);
  expect(serial.takePending().map((s) => s.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
  expect(serial.pendingSpans).toBe(0);
  exporter.pending.splice(0).forEach((answer) => answer({ code: ExportResultCode.SUCCESS }));
  expect(serial.pendingSpans).toBe(0);
  expect(exporter.exports).toBe(1);
});

it('start() puts every exporter behind one: a hung spanExporter never sees two exports at once', async () => {
  const hung = new CountingExporter('hang');
  await withDistro(testOptions({ spanExporters: [hung], batch: BATCH, diagLogger: null }), async () => {
    const tracer = trace.getTracer('serial');
    for (let i = 0; i < 40; i++) {
      tracer.startSpan(`d${i}`).end();
      if (i % 4 === 3) await sleep(3);
    }
    await sleep(30);
    expect(hung.exports).toBe(1);
    expect(hung.maxInFlight).toBe(1);
  });
  hung.pending.splice(0).forEach((answer) => answer({ code: ExportResultCode.FAILED }));
});
