/** The bounded asyncId -> state table behind destroy and promiseResolve. */
import { ResourceState } from '../../src/lifecycle/resource-state';
import { SpanLifecycle } from '../../src/lifecycle/span-lifecycle';
import { WatchedResources } from '../../src/lifecycle/watched-resources';

const lifecycle = new SpanLifecycle(0);
const state = (id: number) => new ResourceState(id, 'T', 1, 1, lifecycle, 0);

test('adds, finds and deletes by id, through resizes and deletions', () => {
  const table = new WatchedResources(100_000);
  const ids = Array.from({ length: 5000 }, (_, i) => 7 + i * 3);
  for (const id of ids) expect(table.add(state(id))).toBeUndefined();
  expect(table.size).toBe(5000);
  for (const id of ids) expect(table.get(id)?.asyncId).toBe(id);
  expect(table.get(8)).toBeUndefined();
  for (const id of ids.filter((_, i) => i % 2 === 0)) expect(table.delete(id)?.asyncId).toBe(id);
  expect(table.size).toBe(2500);
  ids.forEach((id, i) => expect(table.get(id)?.asyncId).toBe(i % 2 === 0 ? undefined : id));
  expect(table.delete(7)).toBeUndefined();
});

test('ids above 2^32 are told apart', () => {
  const table = new WatchedResources(10);
  const big = 2 ** 32 + 5;
  table.add(state(big));
  table.add(state(5));
  expect(table.get(big)?.asyncId).toBe(big);
  expect(table.get(5)?.asyncId).toBe(5);
});

test('holds at most max entries: the oldest leaves, and is returned', () => {
  const table = new WatchedResources(3);
  for (const id of [1, 2, 3]) table.add(state(id));
  expect(table.add(state(4))?.asyncId).toBe(1);
  expect(table.size).toBe(3);
  table.delete(2); // already gone when its turn to leave comes
  expect(table.add(state(5))).toBeUndefined();
  expect(table.add(state(6))?.asyncId).toBe(3);
  expect([4, 5, 6].map((id) => table.get(id)?.asyncId)).toEqual([4, 5, 6]);
});

test('a long churn (add, delete) keeps the table small and correct', () => {
  const table = new WatchedResources(65_536);
  for (let id = 1; id <= 200_000; id++) {
    table.add(state(id));
    if (id > 50) expect(table.delete(id - 50)?.asyncId).toBe(id - 50);
  }
  expect(table.size).toBe(50);
  for (let id = 199_951; id <= 200_000; id++) expect(table.get(id)?.asyncId).toBe(id);
  table.clear();
  expect(table.size).toBe(0);
  expect(table.get(200_000)).toBeUndefined();
});
