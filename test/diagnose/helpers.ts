/** Runs the doctor's fixtures in child processes (instrumentations patch real `require`, which Jest replaces). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { childEnv, ROOT } from '../reliability/helpers';

/** A finding as the fixtures print it (`DiagnoseSpanProcessor.diagnoses`, counted per scenario). */
export interface PrintedFinding {
  kind: 'leaked_context' | 'lost_context';
  spanName: string;
  resourceType?: string;
  resourceSpan?: string;
  location?: string;
  fix: string;
  message: string;
  count: number;
}

/** One scenario's result: its findings and how many exported spans carry a diagnosis. */
export interface ScenarioResult {
  scenario: string;
  findings: PrintedFinding[];
  marked: number;
}

/** Runs `fixtures/<name>` with `args`; resolves with the scenario results by name. */
export function runScenarios(name: string, args: string[]): Promise<Map<string, ScenarioResult>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'fixtures', name), ...args], { cwd: ROOT, env: childEnv(), timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${name} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      const results = stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ScenarioResult);
      resolve(new Map(results.map((r) => [r.scenario, r])));
    });
  });
}
