// Runs the test suite on Node 20, 22, 24 and 26 (or the lines given:
// `npm run test:matrix -- 20,24`), fetching each binary from the npm registry
// the first time, and prints one summary line per line.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { nodeBinary } from './node-binary.mjs';

const lines = (process.argv[2] ?? '20,22,24,26').split(',');
const extra = process.argv.slice(3);
const summary = [];
let failed = false;
for (const line of lines) {
  const bin = nodeBinary(line);
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\n### Node ${version}`);
  const r = spawnSync(bin, ['node_modules/jest/bin/jest.js', ...extra], {
    stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8',
    env: { ...process.env, PATH: `${dirname(bin)}:${process.env.PATH}` },
  });
  process.stderr.write(r.stderr);
  const counts = /Tests:\s+(.*)/.exec(r.stderr)?.[1] ?? 'no result';
  summary.push(`Node ${version}: ${r.status === 0 ? 'passed' : 'FAILED'} (${counts})`);
  failed ||= r.status !== 0;
}
console.log(`\n${summary.join('\n')}`);
process.exit(failed ? 1 : 0);
