/**
 * The machine's PostgreSQL, MariaDB and Redis, for the service tests: each is
 * checked on its port; one that is down is started with the command the
 * machine's environment documents, and a test that still cannot reach it fails
 * with a message that says how to start it (never a silent skip).
 */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';

interface Service {
  readonly name: string;
  readonly port: number;
  /** The command that (re)starts it (/work/.library/env/machines/node-svc.md). */
  readonly start: string;
}

export const SERVICES: readonly Service[] = [
  { name: 'PostgreSQL', port: 5432, start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' },
  { name: 'MariaDB', port: 3306, start: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd' },
  {
    name: 'Redis',
    port: 6379,
    start: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log',
  },
];

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitListening(port: number, attempts: number): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await listening(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** Makes sure every service listens on 127.0.0.1; throws, saying how to start the ones that do not. */
export async function ensureServices(): Promise<void> {
  const down: string[] = [];
  for (const service of SERVICES) {
    if (await listening(service.port)) continue;
    const run = spawnSync('sh', ['-c', service.start], { encoding: 'utf8', timeout: 30_000 });
    if (await waitListening(service.port, 80)) continue;
    down.push(
      `${service.name} is not listening on 127.0.0.1:${service.port} and could not be started ` +
        `(exit ${run.status}: ${(run.stderr || run.stdout || String(run.error ?? '')).trim()}); start it with: ${service.start}`,
    );
  }
  if (down.length > 0) throw new Error(down.join('\n'));
}
