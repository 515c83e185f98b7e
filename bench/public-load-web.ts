/**
 * HERALD_LOAD_WEB=thread: the web server on its own event loop (a worker thread
 * of the bot's process, with its own connection to the ledger), to compare
 * with `run`'s web server on the scheduler's loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import path from 'node:path';
import pino from 'pino';
import { systemClock } from '../src/clock';
import { createLogger } from '../src/logger';
import { openStore } from '../src/store/open';
import type { OfficeSummary } from '../src/web/offices';
import { startWebServer } from '../src/web/server';

interface WebWorkerData {
  dataDir: string;
  configDir: string;
  offices: OfficeSummary[];
}

async function main(): Promise<void> {
  const data = workerData as WebWorkerData;
  const logger = createLogger({ level: 'info', destination: pino.destination({ dest: path.join(data.dataDir, 'web.log'), sync: true }) });
  const store = await openStore({ dataDir: data.dataDir });
  const server = await startWebServer({
    store,
    logger,
    clock: systemClock,
    settings: { host: '127.0.0.1', port: 0, secureCookies: false, trustProxy: false, auditRetentionDays: 366 },
    offices: () => data.offices,
    source: { configDir: data.configDir },
    scratchDir: path.join(data.dataDir, 'console'),
  });
  parentPort!.postMessage({ address: server.address });
  parentPort!.once('message', () => {
    void server.close().then(() => store.close()).then(() => process.exit(0));
  });
}

if (parentPort) void main();
