// The request logger of Node's async_hooks documentation ("Class:
// AsyncLocalStorage"), with the trace id of the current request in each line.
// The request id is kept in an AsyncLocalStorage (this package's drop-in for
// `node:async_hooks`; Node's own works the same); the trace id comes from the
// active span, which the HTTP instrumentation started for the request.
//
//   OTEL_SERVICE_NAME=request-logger node --require otel-async-context/register examples/request-logger/server.js
//
// It sends itself two requests, as the documentation's output shows, and stops.
'use strict';
const http = require('node:http');
const { trace } = require('@opentelemetry/api');
const { AsyncLocalStorage } = require('otel-async-context/hooks');

const asyncLocalStorage = new AsyncLocalStorage();

function logWithId(msg) {
  const id = asyncLocalStorage.getStore();
  const traceId = trace.getActiveSpan()?.spanContext().traceId ?? '-';
  console.log(`${id !== undefined ? id : '-'} trace=${traceId}:`, msg);
}

let idSeq = 0;
const server = http.createServer((req, res) => {
  asyncLocalStorage.run(idSeq++, () => {
    logWithId('start');
    // Imagine any chain of async operations here
    setImmediate(() => {
      logWithId('finish');
      res.end();
    });
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}`;
  await Promise.all([fetch(url), fetch(url)]);
  server.close();
});
// Prints (trace ids vary):
//   0 trace=5b8aa5a2d2c872e8321cf37308d69df2: start
//   1 trace=0af7651916cd43dd8448eb211c80319c: start
//   0 trace=5b8aa5a2d2c872e8321cf37308d69df2: finish
//   1 trace=0af7651916cd43dd8448eb211c80319c: finish
