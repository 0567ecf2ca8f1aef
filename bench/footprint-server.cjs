// The service whose startup bench/footprint.bench.mjs times: a bare node:http
// server, started under `--require <register>` (or nothing). Prints
// `{"port": N}` when listening; each response carries the process's CPU time
// so far and the number of CommonJS modules loaded, as headers.
'use strict';
const http = require('node:http');

const server = http.createServer((req, res) => {
  const { user, system } = process.cpuUsage();
  const modules = Object.keys(require.cache);
  res.setHeader('x-cpu-us', String(user + system));
  res.setHeader('x-modules', String(modules.length));
  res.setHeader('x-grpc', String(modules.some((path) => /[\\/]@grpc[\\/]/.test(path))));
  res.setHeader('x-exporters', String(modules.some((path) => /[\\/]exporter-trace-otlp-/.test(path))));
  res.end('ok');
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
