// AsyncContextManager as the global ContextManager of @opentelemetry/api:
// spans started with startActiveSpan find their parent across awaits and
// timers, concurrent requests never mix, a bound emitter's listeners run in
// the bound context, and attach() holds a context until its token is disposed.
// Run: npm run build && node examples/context-manager/basic.js
const { EventEmitter, once } = require('node:events');
const { context, trace, createContextKey } = require('@opentelemetry/api');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { AsyncContextManager } = require('otel-async-context/context');

// engine: 'native' (Node's AsyncLocalStorage) or 'hooks' (ours); default: native.
const manager = new AsyncContextManager({ engine: 'native' });
context.setGlobalContextManager(manager.enable());
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer('example');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function handle(path) {
  return tracer.startActiveSpan(`GET ${path}`, async (request) => {
    await tracer.startActiveSpan('db.query', async (span) => {
      await sleep(5);
      span.end();
    });
    await tracer.startActiveSpan('render', async (span) => {
      await sleep(1);
      span.end();
    });
    request.end();
  });
}

async function main() {
  // Two requests at once: each one's children are its own.
  await Promise.all([handle('/a'), handle('/b')]);

  // bind(): listeners run in the bound context, wherever emit() is called from.
  const events = new EventEmitter();
  tracer.startActiveSpan('subscribe', (span) => {
    context.bind(context.active(), events);
    events.on('message', () => console.log(`listener runs in: ${trace.getActiveSpan().name}`));
    span.end();
  });
  setImmediate(() => events.emit('message'));
  await once(events, 'message');

  // attach(): a context stays active until its token is disposed.
  const user = createContextKey('user');
  const token = manager.attach(context.active().setValue(user, 'ada'));
  console.log(`attached: ${context.active().getValue(user)}`);
  token.dispose();
  console.log(`after dispose: ${context.active().getValue(user)}`);

  const spans = exporter.getFinishedSpans();
  const nameOf = new Map(spans.map((s) => [s.spanContext().spanId, s.name]));
  const lines = spans.map((s) => `${s.name} <- ${nameOf.get(s.parentSpanContext?.spanId) ?? '(root)'}`);
  for (const line of lines.sort()) console.log(line);
  await provider.shutdown();
}

main();
