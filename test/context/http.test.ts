/**
 * http client and server on 127.0.0.1: client callbacks see the context the
 * request was made in, the server's handler the context the server listened
 * in, and work the handler starts its own; concurrent requests never mix.
 */
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENGINES, sleep } from '../engines';
import { ctx, useManager } from './helpers';

describe.each(ENGINES)('http on 127.0.0.1 (%s engine)', (engine) => {
  const { manager, label, within } = useManager(engine);

  let server: Server;
  let port: number;
  const serverSeen: string[] = [];

  beforeEach(async () => {
    serverSeen.length = 0;
    // The server is created and listens in a context of its own.
    server = within('server', () => createServer((req, res) => {
      serverSeen.push(`handler:${label()}`);
      manager().with(ctx(`handling ${req.url}`), async () => {
        await sleep(2);
        req.resume();
        await once(req, 'end');
        serverSeen.push(`${req.url}:${label()}`);
        res.end(label());
      });
    }));
    await within('server', () => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string) => new Promise<{ body: string; seen: string[] }>((resolve, reject) => {
    const seen: string[] = [];
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res: IncomingMessage) => {
      seen.push(`response:${label()}`);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        seen.push(`end:${label()}`);
        resolve({ body, seen });
      });
    });
    req.on('error', reject);
    req.end();
  });

  test('client callbacks see the client context; the server handler sees its own', async () => {
    const results = await Promise.all(['/1', '/2', '/3'].map((path) => within(`client ${path}`, () => get(path))));
    results.forEach((r, i) => {
      expect(r.body).toBe(`handling /${i + 1}`);
      expect(r.seen).toEqual([`response:client /${i + 1}`, `end:client /${i + 1}`]);
    });
    expect(serverSeen.filter((s) => s.startsWith('handler:'))).toEqual(['handler:server', 'handler:server', 'handler:server']);
    expect(serverSeen.filter((s) => !s.startsWith('handler:')).sort()).toEqual(['/1:handling /1', '/2:handling /2', '/3:handling /3']);
  });
});
