/**
 * The context seen inside 'uncaughtException' and 'unhandledRejection'
 * handlers: that of the code that failed, as with Node's own
 * AsyncLocalStorage. Run in a child process (fixtures/process-events.js,
 * against the built package), since these events end a Jest worker.
 */
import { join } from 'node:path';
import { ENGINES } from '../engines';
import { FIXTURES, distHasContext, runNode } from './helpers';

beforeAll(() => {
  if (!distHasContext()) throw new Error('dist/ has no context manager: run `npm run build` (test/global-setup.cjs does)');
});

describe.each(ENGINES)('process error events (%s engine)', (engine) => {
  test('handlers see the context of the failing code', () => {
    const run = runNode([join(FIXTURES, 'process-events.js'), engine]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // Under load the timers may fire in one turn, so the interleaving of the
    // events varies; which context each handler saw must not.
    const byText = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line)).sort(byText);
    expect(events).toEqual([
      { event: 'uncaughtException', active: 'timer', message: 'thrown in a timer', origin: 'uncaughtException' },
      { event: 'after uncaughtException', active: 'timer' },
      { event: 'unhandledRejection', active: 'promise', message: 'rejected in an async function' },
      { event: 'uncaughtException', active: 'root', message: 'escaped with()', origin: 'uncaughtException' },
      { event: 'after uncaughtException', active: 'root' },
    ].sort(byText));
  });
});
