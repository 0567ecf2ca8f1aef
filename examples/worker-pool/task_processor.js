// The worker of the pool: adds two numbers, as in Node's documentation, inside
// a span that continues the trace of the code that submitted the task.
// Tracing is started in the worker by the inherited `--require
// otel-async-context/register` (workers inherit the parent's execArgv).
'use strict';
const { parentPort, threadId } = require('node:worker_threads');
const { ROOT_CONTEXT, context, propagation, trace } = require('@opentelemetry/api');

const tracer = trace.getTracer('worker-pool-example');

parentPort.on('message', (message) => {
  if (message.close) {
    // Let the event loop run dry: the distribution flushes on 'beforeExit'.
    parentPort.close();
    return;
  }
  const { task, carrier } = message;
  // tracing: continue the submitter's trace from the injected context.
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  context.with(parent, () => {
    tracer.startActiveSpan('task_processor add', { attributes: { 'worker.thread_id': threadId } }, (span) => {
      setImmediate(() => {
        span.setAttribute('task.result', task.a + task.b);
        parentPort.postMessage(task.a + task.b);
        span.end();
      });
    });
  });
});
