// Runs ten additions on the pool, as in Node's documentation, inside one span:
// the trace continues in each worker thread.
//
//   OTEL_SERVICE_NAME=worker-pool node --require otel-async-context/register examples/worker-pool/main.js
'use strict';
const { trace } = require('@opentelemetry/api');
const WorkerPool = require('./worker_pool.js');

const tracer = trace.getTracer('worker-pool-example');
const pool = new WorkerPool(Number(process.env.WORKERS ?? 2));

tracer.startActiveSpan('sum batch', (batch) => {
  let finished = 0;
  for (let i = 0; i < 10; i++) {
    pool.runTask({ a: 42, b: 100 }, (err, result) => {
      console.log(i, err, result, trace.getActiveSpan() === batch ? '(in the batch span)' : '(context lost)');
      if (++finished === 10) {
        batch.end();
        pool.close();
      }
    });
  }
});
