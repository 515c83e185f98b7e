/**
 * Render benchmark: one 1080×1350 card, SVG → PNG and SVG → JPEG.
 * Targets (issue 2): median ≤ 25 ms after warm-up; peak RSS over 200 renders ≤ 250 MB.
 *
 *   node bin/run-ts.js bench/render.ts
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RasterCache, rasterizeCard, renderCardPages, renderCardSvg } from '../src/render/card';
import { loadTemplates } from '../src/render/templates';
import { verifyUrl } from '../src/render/verify-code';
import { drawQr } from '../src/render/verify-qr';
import { aPost } from '../test/render/post-builder';

const WARMUP = 5;
const RUNS = 30;
const RSS_RUNS = 200;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * glibc's malloc keeps one arena per thread and libvips runs several threads,
 * so RSS grows with fragmentation, not with live data. MALLOC_ARENA_MAX=2 (what
 * sharp's docs recommend, short of jemalloc) must be set before the process
 * starts, so the RSS run happens in child processes, with and without it.
 */
function measureRssInChildren(): void {
  for (const arenas of [undefined, '2']) {
    const env = { ...process.env, MALLOC_ARENA_MAX: arenas };
    if (arenas === undefined) delete env.MALLOC_ARENA_MAX;
    const child = spawnSync(process.execPath, [path.resolve(__dirname, '../bin/run-ts.js'), __filename, '--rss-only'], {
      env,
      encoding: 'utf8',
    });
    process.stdout.write(`${child.stdout.trim()} [MALLOC_ARENA_MAX=${arenas ?? 'unset'}]\n`);
    if (child.status !== 0) process.stderr.write(child.stderr);
  }
}

async function main(): Promise<void> {
  const rssOnly = process.argv.includes('--rss-only');
  // As the sample deploys it: every card with its verification QR code (issue 10).
  const { templates, problems } = loadTemplates(path.resolve(__dirname, '../templates'), [{ name: 'h-1', kind: 'announcement', channelIds: ['x'] }], {
    publicBaseUrl: 'https://kuota.pontianak.example.go.id',
  });
  if (!templates) throw new Error(problems.map((p) => p.message).join('\n'));
  const svg = renderCardSvg(templates, aPost());

  for (const mime of rssOnly ? [] : (['image/png', 'image/jpeg'] as const)) {
    for (let i = 0; i < WARMUP; i++) await rasterizeCard(svg, mime);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await rasterizeCard(svg, mime);
      times.push(performance.now() - start);
    }
    console.log(`SVG → ${mime.padEnd(10)} median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}; target ≤ 25 ms)`);
  }

  if (!rssOnly) {
    const templateTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      renderCardSvg(templates, aPost());
      templateTimes.push(performance.now() - start);
    }
    console.log(`template → SVG (layout + layout checks) median ${median(templateTimes).toFixed(2)} ms`);
    // The QR code is drawn once per address (verify-qr.ts keeps the last 64): what a new announcement's card pays once.
    const qrTimes: number[] = [];
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const start = performance.now();
      drawQr(verifyUrl('https://kuota.pontianak.example.go.id', `BENCH${String(i).padStart(3, '0')}`));
      if (i >= WARMUP) qrTimes.push(performance.now() - start);
    }
    console.log(`verification QR code of a new address (qrcode → SVG path) median ${median(qrTimes).toFixed(2)} ms`);
    // What one card of a preview costs: template, layout, checks, then PNG and JPEG from one drawing.
    const both: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const cache = new RasterCache();
      const start = performance.now();
      // A new office name and a new fingerprint: a new layout and a new verification code (a QR code not drawn before).
      const [page] = renderCardPages(templates, { ...aPost({ office: { name: `Kantor Imigrasi Kelas I TPI Pontianak ${i}` } }), fingerprint: `bench-${i}` });
      await cache.rasterize(page!.svg, 'image/png');
      await cache.rasterize(page!.svg, 'image/jpeg');
      both.push((performance.now() - start) / 2);
    }
    console.log(`card with checks, drawn once → PNG + JPEG: median ${median(both).toFixed(1)} ms per image (target ≤ 25 ms)`);
    measureRssInChildren();
    return;
  }

  let peak = process.memoryUsage().rss;
  for (let i = 0; i < RSS_RUNS; i++) {
    // Each render gets a different SVG, as in real use, so no cache hides the cost.
    const varied = renderCardSvg(templates, aPost({ office: { name: `Kantor Imigrasi Kelas I TPI Pontianak ${i}` } }));
    await rasterizeCard(varied, i % 2 ? 'image/png' : 'image/jpeg');
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  console.log(`peak RSS over ${RSS_RUNS} renders: ${(peak / 1024 / 1024).toFixed(0)} MB (target ≤ 250 MB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
