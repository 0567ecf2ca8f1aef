// Tracing set up in code rather than with `--require otel-async-context/register`:
// start() first, then everything else. Prints the request's trace as a tree.
const { start } = require('otel-async-context');

const { shutdown } = start({ serviceName: 'start-in-code', exporters: ['console'] });

const http = require('node:http');

const server = http.createServer((req, res) => setTimeout(() => res.end('ok'), 5));
server.listen(0, '127.0.0.1', async () => {
  const response = await fetch(`http://127.0.0.1:${server.address().port}/hello`);
  console.log(`GET /hello: ${response.status} ${await response.text()}`);
  server.close();
  await shutdown(); // flushes: the trees are printed before the process ends
});
