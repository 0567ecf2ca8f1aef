// An OTLP/HTTP receiver on 127.0.0.1 for the soak benchmark and the fault
// tests, in one of five modes:
//   ok    answers 200 (an empty ExportTraceServiceResponse)
//   down  nothing listens: the port was reserved and closed (connection refused)
//   slow  answers 200 after `slowMs` (longer than the exporter's timeout)
//   500   answers 500 Internal Server Error
//   503   answers 503 Service Unavailable (retryable for OTLP exporters)
import http from 'node:http';

/**
 * Starts a receiver; resolves with its traces URL, the counts of export
 * requests and bytes it received, and `close()`.
 */
export async function startReceiver(mode, { slowMs = 1000 } = {}) {
  const stats = { requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    stats.requests++;
    req.on('data', (d) => { stats.bytes += d.length; });
    req.on('end', () => {
      const answer = () => {
        if (res.destroyed) return;
        if (mode === '500' || mode === '503') {
          res.writeHead(Number(mode), { 'content-type': 'text/plain' }).end(mode === '503' ? 'unavailable' : 'internal error');
        } else {
          res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' })
            .end(req.headers['content-type'] === 'application/json' ? '{}' : '');
        }
      };
      if (mode === 'slow') {
        const timer = setTimeout(answer, slowMs);
        res.on('close', () => clearTimeout(timer));
      } else answer();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}/v1/traces`;
  if (mode === 'down') {
    await new Promise((resolve) => server.close(resolve));
    return { url, stats, close: async () => {} };
  }
  return {
    url,
    stats,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
