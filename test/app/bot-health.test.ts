/**
 * `health` against the real running bot (`runBot`, wall clock), on SQLite and
 * on PostgreSQL: healthy while it runs, unhealthy once it stopped — before,
 * `health` read the heartbeat of the last re-plan and stayed "ok" for 25
 * minutes after the bot was gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { systemClock } from '../../src/clock';
import { main } from '../../src/cli/main';
import { createTestDatabase } from '../support/databases';
import { waitFor } from '../support/process';
import { heraldYaml, makeBotDirs, startBot, type RunningBot } from './bot-harness';
import { REPO_ROOT } from '../support/cli';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function health(dataDir: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'quota-herald', 'health', '--data', dataDir], { clock: systemClock, env, stdout, stderr, cwd: REPO_ROOT });
  return { code, out: stdout.text + stderr.text };
}

describe.each(['sqlite', 'postgres'] as const)('bot: health of the running bot on %s', (dialect) => {
  const cleanup: string[] = [];
  afterAll(() => cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('is ok while the bot runs and unhealthy once it stopped', async () => {
    const { configDir, dataDir } = makeBotDirs('herald-bot-health-', cleanup);
    fs.writeFileSync(path.join(configDir, 'herald.yaml'), heraldYaml());
    fs.writeFileSync(path.join(configDir, 'calendar.yaml'), 'releases: []\n');
    const databaseUrl = dialect === 'postgres' ? (await createTestDatabase('postgres')).databaseUrl! : undefined;
    const env: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
    let bot: RunningBot | null = startBot({ configDir, dataDir, watch: false, ...(databaseUrl ? { databaseUrl } : {}) });
    try {
      await waitFor(() => bot!.logs().includes('quota-herald running'), 30_000, () => `the bot to start:\n${bot!.logs().slice(-2000)}`);
      // The first round of the schedule loop marks it alive (SQLite); the instance registers before it (PostgreSQL).
      let last = await health(dataDir, env);
      for (const started = Date.now(); last.code !== 0 && Date.now() - started < 30_000; last = await health(dataDir, env)) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(last.out).toMatch(dialect === 'sqlite' ? /^ok: `quota-herald run` \(pid \d+\) on .*, last alive .*, \d+ s ago\n$/ : /^ok: instance \d+@\w+ \(pid \d+ on .+\), last heartbeat .*, \d+ s ago\n$/);
      await bot.stop();
      bot = null;
      const after = await health(dataDir, env);
      expect(after.code).toBe(1);
      expect(after.out).toMatch(dialect === 'sqlite' ? /^unhealthy: no `quota-herald run` holds the data directory/ : /^unhealthy: no instance of this host \(.+\) has a heartbeat/);
    } finally {
      await bot?.stop();
    }
  }, 90_000);
});
