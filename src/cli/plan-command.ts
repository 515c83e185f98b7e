/** `plan [--from T] [--to T] [--json]`: list the posts the calendar produces. */
import { planAll } from '../app/plan-all';
import { checkRange } from './arguments';
import type { CliContext } from './context';
import { parseTimeOption, write } from './context';
import { localStamp, table } from './format';
import { loadSelectedOffices } from './offices';
import { horizonDaysFor } from '../config/office-settings';
import type { Config } from '../config/types';

export interface PlanCommandOptions {
  from?: string;
  to?: string;
  json?: boolean;
  /** One office of several (default: all). */
  office?: string;
}

export async function planCommand(ctx: CliContext, options: PlanCommandOptions): Promise<number> {
  const selection = loadSelectedOffices(ctx, options.office === undefined ? {} : { office: options.office });
  const json: object[] = [];
  for (const office of selection.offices) planOffice(office.ctx, office.loaded.config, options, json);
  // One JSON array for all offices: each entry names its office.
  if (options.json) write(ctx.stdout, JSON.stringify(json, null, 2));
  return selection.failed.length > 0 ? 1 : 0;
}

function planOffice(ctx: CliContext, config: Config, options: PlanCommandOptions, json: object[]): void {
  const now = ctx.clock.now();
  const from = parseTimeOption(options.from, 'from', config) ?? now;
  const to = parseTimeOption(options.to, 'to', config) ?? new Date(from.getTime() + horizonDaysFor(config.offices[0], config.settings) * 86_400_000);
  const zone = config.offices[0]?.timezone ?? 'UTC';
  checkRange(from, to, { from: options.from ?? `now, ${localStamp(from, zone)}`, to: options.to ?? localStamp(to, zone) });
  // Without --from the plan starts now, and what is already past is left out.
  const { posts, skipped } = planAll(config, { from, to }, options.from ? undefined : now);

  if (options.json) {
    json.push(
        ...posts.map((post) => ({
          id: post.id,
          office: post.officeId,
          dueAt: post.dueAt.toISOString(),
          deadline: post.deadline?.toISOString() ?? null,
          channel: post.channelId,
          rule: post.ruleId,
          kind: post.kind,
          releaseId: post.releaseId,
          subject: post.subject,
          template: post.template,
          fingerprint: post.fingerprint,
        })),
    );
    return;
  }
  write(ctx.stdout, `${posts.length} post(s) from ${localStamp(from, zone, now)} to ${localStamp(to, zone, now)} (${zone})\n`);
  if (posts.length > 0) {
    write(
      ctx.stdout,
      table(
        ['due', 'deadline', 'channel', 'rule', 'kind', 'about', 'id'],
        posts.map((post) => [localStamp(post.dueAt, zone, now), localStamp(post.deadline, zone, now), post.channelId, post.ruleId, post.kind, post.releaseId ?? post.subject, post.id]),
      ),
    );
  }
  for (const skip of skipped) write(ctx.stderr, `skipped: ${skip.ruleId} for ${skip.subject} on ${skip.channelId}: ${skip.reason}`);
}
