// Served under `node --require otel-async-context/register`: one request to
// itself, then exits; the distribution prints the trace to stderr (OTEL_TRACES_EXPORTER=console).
const http = require('node:http');

const server = http.createServer((req, res) => setImmediate(() => res.end('ok')));
server.listen(0, '127.0.0.1', async () => {
  const response = await fetch(`http://127.0.0.1:${server.address().port}/hello`);
  await response.text();
  server.close();
});
