/**
 * Real Chromium for page tests (Debian's /usr/bin/chromium through
 * playwright-core: no browser download), axe-core run inside the page, and
 * screenshots under docs/console/ (or docs/public/) for the docs and for looking at.
 *
 * axe is evaluated through the DevTools protocol, not added as a <script>: the
 * console's CSP (scripts from its own origin only) stays on, so a page that
 * breaks it shows up as a CSP error (`cspErrors`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const DOCS = path.resolve(__dirname, '..', '..', 'docs');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** A new page that records console errors about the Content-Security-Policy. */
export async function openPage(browser: Browser, options: { width?: number; height?: number } = {}): Promise<{ page: Page; cspErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1024, height: options.height ?? 720 }, locale: 'id-ID' });
  const page = await context.newPage();
  const cspErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) cspErrors.push(message.text());
  });
  return { page, cspErrors };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axeSource = (): string => fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The console's level: WCAG 2.1 A and AA. */
export const WCAG21_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;
/** The public pages' level (issue 10): WCAG 2.2 AA, target size (2.5.8) included. */
export const WCAG22_TAGS = [...WCAG21_TAGS, 'wcag22aa'] as const;

/** axe-core's rules of `tags` on the page as it is; every violation, whatever its impact. */
export async function axeViolations(page: Page, tags: readonly string[]): Promise<AxeViolation[]> {
  // Strings, not functions: this project type-checks without the DOM library.
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(axeSource());
  // resultTypes: only violations are reported in full; the passes (which this check never reads) are
  // cut to one node each, roughly halving the time axe takes on a long page.
  const options = { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] };
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, ${JSON.stringify(options)}).then((result) => result.violations)`);
  return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolations(page, WCAG21_TAGS)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

function describeViolations(violations: readonly AxeViolation[]): string {
  return `axe: ${violations.map((v) => `${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`;
}

/** Fails the test with axe's own words when a serious or critical violation is found. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousAxeViolations(page);
  if (violations.length > 0) throw new Error(describeViolations(violations));
}

/** Fails the test on any WCAG 2.2 A/AA violation axe finds, of any impact: the public pages' bar. */
export async function expectNoWcag22Violations(page: Page): Promise<void> {
  const violations = await axeViolations(page, WCAG22_TAGS);
  if (violations.length > 0) throw new Error(describeViolations(violations));
}

/** docs/<dir>/<name>.png (dir: `console` unless said). */
export async function screenshot(page: Page, name: string, dir: 'console' | 'public' = 'console'): Promise<void> {
  const folder = path.join(DOCS, dir);
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}
