/**
 * `run` serves the console beside publishing (settings.web), and a web port
 * that is taken never stops the bot; `run --no-web` leaves the web to `serve`.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startBot } from '../app/bot-harness';
import { REPO_ROOT, startCli } from '../support/cli';
import { waitFor } from '../support/process';
import { setSampleWebPort } from '../support/sample-config';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workspace(port: number): { configDir: string; dataDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-run-web-'));
  dirs.push(root);
  const configDir = path.join(root, 'config');
  fs.cpSync(path.join(REPO_ROOT, 'config'), configDir, { recursive: true });
  setSampleWebPort(path.join(configDir, 'herald.yaml'), port);
  return { configDir, dataDir: path.join(root, 'data') };
}

async function waitForLog(logs: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const found = pattern.exec(logs());
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('web beside the bot (run)', () => {
  it('listens on settings.web while the bot runs, and closes with it', async () => {
    const bot = startBot({ ...workspace(0), web: true });
    try {
      const [, address] = await waitForLog(bot.logs, /"listen":"(http:\/\/127\.0\.0\.1:\d+)","msg":"web server listening/);
      await waitForLog(bot.logs, /quota-herald running/);
      expect(await (await fetch(`${address}/healthz`)).json()).toEqual({ status: 'ok' });
      expect((await fetch(`${address}/admin/`, { redirect: 'manual' })).status).toBe(303);
      await bot.stop();
      await expect(fetch(`${address}/healthz`)).rejects.toThrow();
    } finally {
      await bot.stop();
    }
  });

  it('a taken web port is reported and the bot publishes on without the web server', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const bot = startBot({ ...workspace(port), web: true });
    try {
      await waitForLog(bot.logs, /the web server cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\); the bot publishes without it/);
      await waitForLog(bot.logs, /quota-herald running/);
    } finally {
      await bot.stop();
      blocker.close();
    }
  });

  it('run --no-web publishes without a web server, and serve answers beside it on the same SQLite ledger', async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const { configDir, dataDir } = workspace(port);
    const args = ['--config', configDir, '--data', dataDir];
    const bot = startCli(['run', '--no-web', ...args]);
    let web: ReturnType<typeof startCli> | undefined;
    try {
      await waitFor(() => bot.output().stderr.includes('quota-herald running') || undefined, 60_000, () => `the bot to run:\n${bot.output().stderr.slice(-2000)}`);
      expect(bot.output().stderr).not.toContain('web server listening');
      // Once the bot has made the ledger (two processes migrating one new SQLite file at once is not what this is about).
      web = startCli(['serve', ...args]);
      await waitFor(() => web!.output().stderr.includes('web server listening') || undefined, 60_000, () => `serve to listen:\n${web!.output().stderr.slice(-2000)}`);
      // The office page, from the config revision the bot recorded at its start.
      expect((await fetch(`http://127.0.0.1:${port}/o/kanim-pontianak/`)).status).toBe(200);
    } finally {
      for (const child of [bot, web]) {
        if (child && child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'));
      }
    }
  });
});
