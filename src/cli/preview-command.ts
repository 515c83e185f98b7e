/**
 * `preview [--from T] [--to T] [--out DIR]`: writes every planned post's
 * caption, card and alt text to DIR, plus an index.html that PR staff can open
 * to see the coming posts side by side.
 */
import fs from 'node:fs';
import path from 'node:path';
import { planAll } from '../app/plan-all';
import { limitChannels, renderPlannedPosts, type RenderedPlannedPost } from '../app/render-batch';
import { formatProblem } from '../errors';
import { localizeInstants } from '../render/helpers/staff-time';
import { createSilentLogger } from '../logger';
import { toLocal } from '../time/zone';
import { checkRange } from './arguments';
import type { CliContext } from './context';
import { parseTimeOption, write } from './context';
import { localStamp } from './format';
import { loadSelectedOffices } from './offices';
import type { Loaded } from '../app/load-all';

export async function previewCommand(ctx: CliContext, options: { from?: string; to?: string; out: string; office?: string }): Promise<number> {
  const selection = loadSelectedOffices(ctx, options.office === undefined ? {} : { office: options.office });
  let exit = selection.failed.length > 0 ? 1 : 0;
  for (const office of selection.offices) {
    // Many offices: one folder per office below --out.
    const out = selection.many ? path.join(options.out, office.id) : options.out;
    exit = Math.max(exit, await previewOffice(office.ctx, office.loaded, { ...options, out }));
  }
  return exit;
}

async function previewOffice(ctx: CliContext, loaded: Loaded, options: { from?: string; to?: string; out: string }): Promise<number> {
  const now = ctx.clock.now();
  const from = parseTimeOption(options.from, 'from', loaded.config) ?? now;
  const to = parseTimeOption(options.to, 'to', loaded.config) ?? new Date(from.getTime() + 7 * 86_400_000);
  const zone = loaded.config.offices[0]?.timezone ?? 'UTC';
  checkRange(from, to, { from: options.from ?? `now, ${localStamp(from, zone)}`, to: options.to ?? localStamp(to, zone) });
  const { posts } = planAll(loaded.config, { from, to }, options.from ? undefined : now);

  const outDir = path.resolve(options.out);
  fs.mkdirSync(outDir, { recursive: true });
  const channels = limitChannels(loaded, { clock: ctx.clock, logger: createSilentLogger(), outboxDir: outDir });
  // One folder per post, named so a file browser lists them in due order.
  const relDirs = posts.map((post, index) => {
    const local = toLocal(post.dueAt, zone);
    return `${String(index + 1).padStart(3, '0')}-${local.date}-${local.time.replace(':', '')}-${post.ruleId}-${post.channelId}`;
  });
  const results = await renderPlannedPosts(loaded, posts, channels, { rootDir: outDir, relDirFor: (_post, index) => relDirs[index]! });

  for (const [index, result] of results.entries()) {
    if (!result.rendered) continue;
    const dir = path.join(outDir, relDirs[index]!);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'caption.txt'), `${result.rendered.text}\n`);
    fs.writeFileSync(path.join(dir, 'alt.txt'), `${result.rendered.media.map((m) => m.alt).join('\n\n')}\n`);
  }
  fs.writeFileSync(path.join(outDir, 'posts.json'), `${JSON.stringify(results.map((r) => summary(r)), null, 2)}\n`);
  fs.writeFileSync(path.join(outDir, 'index.html'), indexHtml(results, zone, loaded.config.offices[0]?.name ?? 'quota-herald'));

  const problems = results.flatMap((r) => r.problems);
  problems.forEach((problem) => write(ctx.stderr, localizeInstants(formatProblem(problem, ctx.cwd), zone, now)));
  write(ctx.stdout, `wrote ${results.filter((r) => r.rendered).length} of ${posts.length} post(s) to ${outDir} (open index.html)`);
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}

function summary(result: RenderedPlannedPost): object {
  return {
    id: result.post.id,
    dueAt: result.post.dueAt.toISOString(),
    deadline: result.post.deadline?.toISOString() ?? null,
    channel: result.post.channelId,
    rule: result.post.ruleId,
    kind: result.post.kind,
    releaseId: result.post.releaseId,
    text: result.rendered?.text ?? null,
    media: result.rendered?.media ?? [],
    problems: result.problems.map((p) => formatProblem(p)),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function indexHtml(results: RenderedPlannedPost[], zone: string, officeName: string): string {
  const cards = results
    .map((result) => {
      const media = (result.rendered?.media ?? [])
        .map((m) => `<img src="${escapeHtml(m.file)}" alt="${escapeHtml(m.alt)}" width="270" height="${Math.round((270 * m.height) / m.width)}">`)
        .join('');
      const problems = result.problems.map((p) => `<li class="${p.severity}">${escapeHtml(localizeInstants(formatProblem(p), zone))}</li>`).join('');
      return `<article>
  <header><strong>${escapeHtml(localStamp(result.post.dueAt, zone))}</strong> · ${escapeHtml(result.post.channelId)} · ${escapeHtml(result.post.ruleId)} · ${escapeHtml(result.post.kind)}</header>
  ${media}
  <pre>${escapeHtml(result.rendered?.text ?? '(not rendered)')}</pre>
  ${problems ? `<ul>${problems}</ul>` : ''}
</article>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Pratinjau unggahan — ${escapeHtml(officeName)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;background:#f4f6fa}article{background:#fff;border-radius:8px;padding:1rem;margin:0 0 1rem;display:grid;grid-template-columns:280px 1fr;gap:1rem}
header{grid-column:1/-1;color:#0b2a5b}pre{white-space:pre-wrap;font-family:inherit;margin:0}ul{grid-column:1/-1;color:#a40000}li.warning{color:#8a5a00}</style></head>
<body><h1>Pratinjau unggahan — ${escapeHtml(officeName)}</h1><p>Waktu dalam zona ${escapeHtml(zone)}. ${results.length} unggahan.</p>
${cards}
</body></html>
`;
}
