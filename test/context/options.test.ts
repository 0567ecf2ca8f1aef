/** The options of AsyncContextManager and their errors. */
import { AsyncContextManager } from '../../src/context/index';

describe('AsyncContextManager options', () => {
  test('default engine: native, or OTEL_ASYNC_CONTEXT_ENGINE', () => {
    const saved = process.env.OTEL_ASYNC_CONTEXT_ENGINE;
    try {
      delete process.env.OTEL_ASYNC_CONTEXT_ENGINE;
      expect(new AsyncContextManager().engine).toBe('native');
      process.env.OTEL_ASYNC_CONTEXT_ENGINE = 'hooks';
      expect(new AsyncContextManager().engine).toBe('hooks');
      expect(new AsyncContextManager({}).engine).toBe('hooks');
    } finally {
      if (saved === undefined) delete process.env.OTEL_ASYNC_CONTEXT_ENGINE;
      else process.env.OTEL_ASYNC_CONTEXT_ENGINE = saved;
    }
  });

  test.each([null, 'hooks', 42, [] as unknown])('options %p: ERR_INVALID_ARG_TYPE', (options) => {
    expect(() => new AsyncContextManager(options as never)).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  test.each(['fast', 'NATIVE', 1, null])('engine %p: ERR_INVALID_ARG_VALUE', (engine) => {
    let error: unknown;
    try {
      new AsyncContextManager({ engine: engine as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' });
    expect((error as Error).message).toMatch(/options\.engine/);
  });
});
