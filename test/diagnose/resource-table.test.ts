/** ResourceTable: by asyncId, only the work that descends from spans, bounded in live entries, keeps long-lived resources. */
import { ResourceTable } from '../../src/diagnose/resource-table';
import { SpanOrigin } from '../../src/diagnose/span-origin';

const origin = new SpanOrigin('GET /a', 'a'.repeat(32), 'b'.repeat(16));

test('follows resources created under a span and their descendants, nothing else', () => {
  const table = new ResourceTable(16);
  table.follow(7, 'TCPWRAP', 3, origin);
  table.follow(2 ** 40 + 7, 'Timeout', 7, undefined);
  table.follow(9, 'Immediate', 1, undefined);
  expect(table.get(7)).toEqual({ asyncId: 7, type: 'TCPWRAP', triggerAsyncId: 3, origin, ancestor: undefined });
  expect(table.get(2 ** 40 + 7)).toEqual({
    asyncId: 2 ** 40 + 7, type: 'Timeout', triggerAsyncId: 7, origin: undefined, ancestor: { asyncId: 7, type: 'TCPWRAP', origin },
  });
  expect([table.has(9), table.size]).toEqual([false, 2]);
  table.delete(7);
  table.delete(8);
  expect([table.has(7), table.get(7), table.size]).toEqual([false, undefined, 1]);
});

test('a descendant keeps its ancestor after the ancestor is destroyed', () => {
  const table = new ResourceTable(16);
  table.follow(10, 'Timeout', 1, origin);
  table.follow(11, 'Immediate', 10, undefined);
  table.delete(10);
  table.follow(12, 'TickObject', 11, undefined);
  expect(table.get(12)?.ancestor).toEqual({ asyncId: 10, type: 'Timeout', origin });
});

test('at most `max` live entries: the oldest live one leaves first', () => {
  const table = new ResourceTable(100);
  for (let id = 1; id <= 150; id++) table.follow(id, 'Immediate', 0, origin);
  expect(table.size).toBe(100);
  expect([table.has(50), table.has(51), table.has(150)]).toEqual([false, true, true]);
});

test('a long-lived resource stays through any churn of short-lived ones', () => {
  const table = new ResourceTable(100);
  table.follow(1, 'TCPWRAP', 0, origin);
  for (let id = 2; id < 100_000; id++) {
    table.follow(id, 'TickObject', 1, undefined);
    table.delete(id);
  }
  expect(table.get(1)).toEqual({ asyncId: 1, type: 'TCPWRAP', triggerAsyncId: 0, origin, ancestor: undefined });
  expect(table.size).toBe(1);
});

test('clear forgets everything; the table is usable again', () => {
  const table = new ResourceTable(8);
  for (let id = 1; id <= 20; id++) table.follow(id, 'Timeout', 0, origin);
  table.clear();
  expect([table.size, table.has(20)]).toEqual([0, false]);
  table.follow(21, 'Timeout', 0, origin);
  expect(table.has(21)).toBe(true);
});
