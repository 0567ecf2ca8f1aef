// The service under soak: the distribution with lifecycle events on, OTLP/HTTP
// to the receiver given in argv, and a handler that crosses the usual async
// boundaries with child spans. Run with --expose-gc by bench/soak.bench.mjs.
//   GET /          one request of the workload
//   GET /__heap    heap used after a full GC, and the requests served so far
//   GET /__stop    shutdown() of the distribution, then the server closes
// argv: engine, OTLP traces URL. Prints `{"port": N}` when listening.
'use strict';
const { start } = require('../dist/cjs/index.js');

const [engine, endpoint] = process.argv.slice(2);
let diagnostics = 0;
const count = () => { diagnostics++; };
const distro = start({
  engine,
  serviceName: 'soak',
  exporters: ['otlp'],
  otlp: { protocol: 'http/protobuf', endpoint, timeoutMillis: 1000 },
  lifecycle: true,
  diagLogger: { error: count, warn: count, info: count, debug() {}, verbose() {} },
  shutdown: false,
});

const http = require('node:http');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { trace } = require('@opentelemetry/api');
const tracer = trace.getTracer('soak');

let served = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/__heap') {
    global.gc();
    global.gc();
    res.end(JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, served, diagnostics }));
    return;
  }
  if (req.url === '/__stop') {
    res.setHeader('connection', 'close');
    distro.shutdown().then(() => {
      res.end(JSON.stringify({ served, diagnostics }));
      server.close();
      server.closeAllConnections();
    });
    return;
  }
  tracer.startActiveSpan('work', async (span) => {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve, reject) => fs.stat(__filename, (err) => (err ? reject(err) : resolve())));
    await tracer.startActiveSpan('compress', (child) => new Promise((resolve) => {
      zlib.deflate(Buffer.from(req.url), () => { child.end(); resolve(); });
    }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    span.end();
    served++;
    res.end('ok');
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
