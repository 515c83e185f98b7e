/**
 * `check [--days N]`: everything that can go wrong, found days before it
 * matters: config, calendar and template errors, then every post of the next
 * N days rendered and checked against its channel's limits and daily cap.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planAll } from '../app/plan-all';
import { describePlanned, limitChannels, renderPlannedPosts } from '../app/render-batch';
import { missingPublicBaseUrl } from '../config/public-address';
import { formatProblem, type Problem } from '../errors';
import { localizeInstants } from '../render/helpers/staff-time';
import { createSilentLogger } from '../logger';
import { findUrls } from '../channels/text-length';
import { estimateCost, pricingOf, type CostLine } from '../plan/cost-estimate';
import { busiestDayPerChannel } from '../plan/daily-caps';
import type { CliContext } from './context';
import { write } from './context';
import { checkOnline } from './check-online';
import { loadSelectedOffices } from './offices';
import type { Loaded } from '../app/load-all';

export async function checkCommand(ctx: CliContext, options: { days: number; online?: boolean; office?: string }): Promise<number> {
  const selection = loadSelectedOffices(ctx, { checkDays: options.days, ...(options.office === undefined ? {} : { office: options.office }) });
  let exit = selection.failed.length > 0 ? 1 : 0;
  // One deployment setting: printed once, counted for every office (each office's cards lack the QR code).
  const first = selection.offices[0];
  const noPublicAddress = first ? missingPublicBaseUrl(ctx.configDir, first.loaded.config.settings) : null;
  if (noPublicAddress) write(ctx.stderr, formatProblem(noPublicAddress, ctx.cwd));
  for (const office of selection.offices) {
    const warnings = noPublicAddress ? [...office.warnings, noPublicAddress] : office.warnings;
    exit = Math.max(exit, await checkOffice(office.ctx, { ...office.loaded, warnings }, options));
  }
  return exit;
}

/** Every post of one office (of the only one, in the one-office layout). */
async function checkOffice(ctx: CliContext, loaded: Loaded & { warnings: Problem[] }, options: { days: number; online?: boolean }): Promise<number> {
  const now = ctx.clock.now();
  const range = { from: now, to: new Date(now.getTime() + options.days * 86_400_000) };
  const { posts, skipped } = planAll(loaded.config, range, now);

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'quota-herald-check-'));
  // Load warnings are printed already; they still count in the summary.
  const problems: Problem[] = [];
  const loadWarnings = loaded.warnings.length;
  let costs: CostLine[] = [];
  const costDays = Math.min(30, options.days);
  try {
    const channels = limitChannels(loaded, { clock: ctx.clock, logger: createSilentLogger(), outboxDir: scratch });
    const results = await renderPlannedPosts(loaded, posts, channels, { rootDir: scratch, relDirFor: (_post, index) => `posts/${index}` });
    results.forEach((result) => problems.push(...result.problems));
    const pricing = pricingOf(loaded.config.offices.flatMap((office) => office.channels));
    const costHorizon = now.getTime() + costDays * 86_400_000;
    costs = estimateCost(
      results.filter((r) => r.post.dueAt.getTime() < costHorizon).map((r) => ({ channelId: r.post.channelId, hasUrl: findUrls(r.rendered?.text ?? '').length > 0 })),
      pricing,
    );
    for (const window of busiestDayPerChannel(posts)) {
      const cap = channels.get(window.channelId)?.limits.dailyCap;
      if (cap !== undefined && window.count > cap) {
        problems.push({
          severity: 'error',
          subject: `channel ${window.channelId}`,
          message: `${window.count} posts in the 24 hours from ${window.from.toISOString()}, over the channel's daily cap of ${cap} (its dailyCap, else settings.dailyCaps, else the platform's): drop a rule or a channel for some posts, or raise the cap if the account allows more`,
        });
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (options.online) problems.push(...(await checkOnline(ctx, loaded)));
  for (const skip of skipped) {
    problems.push({ severity: 'warning', subject: `${skip.ruleId} for ${skip.subject} on ${skip.channelId}`, message: `not planned: ${skip.reason}` });
  }

  // Problems name posts and limits by ISO instant (they are written far from the office zone).
  const zone = loaded.config.offices[0]?.timezone ?? 'UTC';
  problems.forEach((problem) => write(ctx.stderr, localizeInstants(formatProblem(problem, ctx.cwd), zone, now)));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors + loadWarnings;
  const channelsUsed = new Set(posts.map((post) => post.channelId)).size;
  write(ctx.stdout, `checked ${posts.length} post(s) on ${channelsUsed} channel(s) over the next ${options.days} day(s): ${errors} error(s), ${warnings} warning(s)`);
  for (const cost of costs) {
    write(ctx.stdout, `estimated API cost on ${cost.channelId}, next ${costDays} day(s): US$${cost.usd.toFixed(2)} for ${cost.posts} post(s), ${cost.postsWithUrl} with a URL`);
  }
  if (posts.length > 0 && errors === 0) write(ctx.stdout, `next post: ${localizeInstants(describePlanned(posts[0]!), zone, now)}`);
  return errors > 0 ? 1 : 0;
}
