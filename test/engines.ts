/** The storage engines every engine-dependent test runs on. */
import type { EngineName } from '../src/hooks/index';

export const ENGINES: readonly EngineName[] = ['native', 'hooks'];

/** A promise that settles after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
