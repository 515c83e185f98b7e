/**
 * Runs the real CLI as a child process, as staff and CI do, from src/ through
 * the dev entry (bin/quota-herald-dev.js, swc require hook): a test can never
 * run a stale dist/. The shipped entry (bin/quota-herald.js on dist/) has its
 * own test, which builds first: test/build/shipped-cli.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'quota-herald-dev.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (quiet logs unless `env` says otherwise). */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const child = startCli(args, { ...options, env: { LOG_LEVEL: 'warn', ...options.env } });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...child.output() }));
  });
}

/** Starts a command and returns at once; `output()` is what it printed so far. */
export function startCli(args: string[], options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}): ChildProcess & { output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...options.env },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  // What a user pipes in (`printf '%s\n' "$PASSWORD" | quota-herald user add …`).
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return Object.assign(child, { output: () => ({ stdout, stderr }) });
}
