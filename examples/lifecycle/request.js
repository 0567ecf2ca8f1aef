// Async resource lifecycles as span events, for one real HTTP request.
// Run: npm run build && node examples/lifecycle/request.js
//
// A server handles GET /greet under a span: it waits on a timer (standing in
// for a database), answers, and leaves a cache-refresh timer behind. With
// LifecycleSpanProcessor on the provider in its full mode, the span carries an
// event per hook callback of every async resource its code created, and a
// summary at its end (what was created, queued, run, and left pending). In the
// default mode every span gets the summary and only slow or failed spans
// (100 ms or more, or an error status) get the events. The trace is printed as a
// tree by the distribution's ConsoleTreeExporter.
const http = require('node:http');
const { context, trace, SpanKind } = require('@opentelemetry/api');
const { BasicTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { AsyncContextManager, ConsoleTreeExporter, LifecycleSpanProcessor } = require('otel-async-context');

context.setGlobalContextManager(new AsyncContextManager().enable());
const provider = new BasicTracerProvider({
  spanProcessors: [
    // Before the exporting processor: the summary is written as the span ends, before it is exported.
    new LifecycleSpanProcessor({ mode: 'full', eventBudget: 64 }),
    new SimpleSpanProcessor(new ConsoleTreeExporter({ eventsPerSpan: 64 })),
  ],
});
const tracer = provider.getTracer('examples/lifecycle');

function lookUpGreeting(name, callback) {
  setTimeout(() => callback(`hello, ${name}`), 5); // the "database"
}

const server = http.createServer((req, res) => {
  tracer.startActiveSpan(`GET ${req.url}`, { kind: SpanKind.SERVER }, (span) => {
    res.on('finish', () => span.end()); // as HTTP instrumentations do: the span ends with the response
    lookUpGreeting('lifecycle', (greeting) => {
      // Work the request starts and leaves behind: shows as pending in the summary.
      setTimeout(() => {}, 60_000).unref();
      res.end(greeting);
    });
  });
});

server.listen(0, '127.0.0.1', () => {
  http.get({ host: '127.0.0.1', port: server.address().port, path: '/greet' }, (res) => {
    let body = '';
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', async () => {
      console.log(`client got: ${body}\n`);
      server.close();
      await provider.shutdown(); // flushes the console tree
    });
  });
});
