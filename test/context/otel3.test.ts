/**
 * The manager on the OpenTelemetry 3.x line (@opentelemetry/api 1.10 with its
 * optional ContextManager.attach, @opentelemetry/sdk-trace 3.1), which cannot
 * sit in package.json beside sdk-trace-base 2.x. `node scripts/otel3-fixture.mjs`
 * installs it into .otel3/; fixtures/otel3.js loads the built manager against it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINES } from '../engines';
import { FIXTURES, ROOT, runNode } from './helpers';

const installed = ['api', 'sdk-trace'].every((name) => existsSync(join(ROOT, '.otel3', 'node_modules', '@opentelemetry', name, 'package.json')));

if (!installed) {
  test.skip('OpenTelemetry 3.x line: .otel3/ is absent; run `node scripts/otel3-fixture.mjs` first', () => {});
} else {
  describe.each(ENGINES)('OpenTelemetry api 1.10 + sdk-trace 3.1 (%s engine)', (engine) => {
    test('global manager, startActiveSpan parenting and context.attach()', () => {
      const run = runNode([join(FIXTURES, 'otel3.js'), engine]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({
        apiPath: '.otel3/node_modules/@opentelemetry/api/dist/index.cjs',
        managerApiPaths: ['.otel3/node_modules/@opentelemetry/api'],
        registered: true,
        tracerRegistered: true,
        siblingsParented: [true, true],
        attachedActive: true,
        attachedInTimer: true,
        afterDispose: true,
      });
    });
  });
}
