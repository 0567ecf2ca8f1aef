// Runs a command with another Node.js major line first on PATH:
//   node scripts/with-node.mjs 24 -- node_modules/jest/bin/jest.js [args]
// The command after `--` is a JavaScript file run by that Node binary.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { nodeBinary } from './node-binary.mjs';

const [major, sep, script, ...args] = process.argv.slice(2);
if (!major || sep !== '--' || !script) {
  console.error('usage: node scripts/with-node.mjs <major> -- <script.js> [args...]');
  process.exit(2);
}
const bin = nodeBinary(major);
const env = { ...process.env, PATH: `${dirname(bin)}:${process.env.PATH}` };
console.error(`# running on ${spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
const r = spawnSync(bin, [script, ...args], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
