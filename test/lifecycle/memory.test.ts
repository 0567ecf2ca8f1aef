/**
 * Memory stays bounded whatever the app does: 1,000,000 resources that never
 * see destroy, created under tracked spans (half of them never ended), leave
 * the heap after GC where it was; no span or resource is kept alive. Runs in a
 * child process with --expose-gc, against the built package.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MAX_WATCHED_RESOURCES } from '../../src/lifecycle/lifecycle-tracker';
import { ENGINES } from '../engines';

const ROOT = join(__dirname, '..', '..');
const MB = 1024 * 1024;

describe.each(ENGINES)('memory (%s engine)', (engine) => {
  test('1,000,000 never-destroyed resources under tracked spans leave the heap bounded', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', join(__dirname, 'fixtures', 'heap.js'), engine], {
      cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' },
    });
    if (r.status !== 0) throw new Error(`heap fixture failed (${r.status}): ${r.stderr}`);
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(result.created).toBeGreaterThanOrEqual(1_000_000);
    // One state per resource kept by id would be well over 100 MB here; the bounded map holds at
    // most MAX_WATCHED_RESOURCES states. The margin is generous: 32 MB.
    expect(result.watched).toBeLessThanOrEqual(MAX_WATCHED_RESOURCES);
    expect(result.growth).toBeLessThan(32 * MB);
    expect(result.collected).toEqual({ endedSpan: true, abandonedSpan: true, resource: true });
  }, 120_000);
});
