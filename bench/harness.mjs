// Shared helpers for bench/*.bench.mjs: run a variant in a child process of
// its own, interleave rounds across variants, and take medians.
import { execFileSync } from 'node:child_process';

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `script` with `args` in a fresh Node process (this one's binary) and
 * returns the JSON it prints on its last line.
 */
export function runChild(script, args = [], env = {}) {
  const out = execFileSync(process.execPath, ['--expose-gc', script, ...args], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env },
  });
  return JSON.parse(out.trim().split('\n').pop());
}

/**
 * Measures every variant `rounds` times, interleaved (a, b, c, a, b, c, ...),
 * so that a noisy stretch of the machine hits all variants alike. Returns
 * the median of each variant's measurements.
 */
export function interleave(variants, rounds, measure) {
  const samples = new Map(variants.map((v) => [v, []]));
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) samples.get(v).push(measure(v));
  }
  return new Map([...samples].map(([v, s]) => [v, median(s)]));
}

/** Formats a ratio as `1.23x`. */
export function ratio(value, base) {
  return `${(value / base).toFixed(2)}x`;
}
