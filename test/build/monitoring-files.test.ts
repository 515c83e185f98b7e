/**
 * The Grafana dashboard and the Prometheus alert rules in docs/ keep their
 * promises, checked without Grafana or Prometheus: the dashboard is JSON
 * Grafana imports (uid, schemaVersion, a Prometheus datasource variable, the
 * panels operators need), the rules file is the rules format, and every
 * metric and label either of them names is in a real /metrics scrape of the
 * web server with `run`'s registry (read by an independent parser).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { parse } from 'yaml';
import { registerBotMetrics } from '../../src/metrics/bot-metrics';
import { createMetricsRegistry } from '../../src/metrics/registry';
import { insertChannelToken } from '../../src/store/channel-tokens';
import { createRevision } from '../../src/store/config-revisions';
import { syncPlan } from '../../src/store/sync-plan';
import { buildWebServer } from '../../src/web/server';
import { at, buildPost } from '../store/post-builder';
import { REPO_ROOT } from '../support/cli';
import { useTestStore } from '../support/databases';
import { hasSeriesName, parseScrape, type Scrape } from '../support/prometheus';

const NOW = at('2026-11-27T13:30+07:00');
const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface Target {
  expr: string;
  legendFormat?: string;
  refId: string;
  datasource?: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}
interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const dashboard = JSON.parse(read('docs/grafana/quota-herald.json')) as {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: { name: string; type: string; query: unknown; datasource?: { uid: string } }[] };
  panels: Panel[];
};
const rules = (parse(read('docs/prometheus/alerts.yml')) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((group) => group.rules);
const dashboardExprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
/** The query variables' `label_values(selector, label)`: the series they read and the label they list. */
const variableQueries = dashboard.templating.list.flatMap((variable) => {
  if (typeof variable.query !== 'object' || variable.query === null) return [];
  const query = (variable.query as { query: string }).query;
  const match = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
  if (!match) throw new Error(`variable ${variable.name}: expected label_values(selector, label), got ${query}`);
  return [{ selector: match[1]!, label: match[2]! }];
});

const KEYWORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);
/** Labels Prometheus adds to every scraped series; `le` is a histogram's bucket. */
const TARGET_LABELS = new Set(['job', 'instance']);

/** The series names a PromQL expression reads (label values, functions, grouping lists and Grafana variables left out). */
function seriesNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\$\w+/g, ' ');
  return [...stripped.matchAll(/(?<![\w.])[a-zA-Z_:][\w:]*(?![\w:]*\s*\()/g)].map((match) => match[0]).filter((token) => !KEYWORDS.has(token));
}

/** Label names a selector of `name` filters on: `name{a="x", b=~"y"}` → a, b. */
function selectorLabels(expr: string): { name: string; label: string }[] {
  return [...expr.matchAll(/([a-zA-Z_:][\w:]*)\{([^}]*)\}/g)].flatMap((match) => [...match[2]!.matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)].map((label) => ({ name: match[1]!, label: label[1]! })));
}

/** Label names grouped by (`by (a, b)`) or shown in a legend (`{{a}}`). */
function groupingLabels(text: string): string[] {
  const grouped = [...text.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g)].flatMap((match) => match[1]!.split(',').map((label) => label.trim()));
  const legend = [...text.matchAll(/\{\{\s*\$?(?:labels\.)?(\w+)\s*\}\}/g)].map((match) => match[1]!);
  return [...grouped, ...legend].filter((label) => label !== '' && label !== 'value');
}

const AGGREGATIONS = new Set(['sum', 'max', 'min', 'avg', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values']);

/** The innermost aggregation operator around position `at` of `expr` (functions like `changes(` are looked through), or `none`. */
function firstAggregation(expr: string, at: number): string {
  let depth = 0;
  for (let i = at - 1; i >= 0; i -= 1) {
    const char = expr[i];
    if (char === ')') depth += 1;
    else if (char === '(' && depth > 0) depth -= 1;
    else if (char === '(') {
      const word = /(\w+)\s*(?:(?:by|without)\s*\([^)]*\)\s*)?$/.exec(expr.slice(0, i))?.[1];
      if (word && AGGREGATIONS.has(word)) return word;
    }
  }
  return 'none';
}

function balanced(expr: string): boolean {
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const stack: string[] = [];
  for (const char of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if ('({['.includes(char)) stack.push(char);
    else if (char in pairs && stack.pop() !== pairs[char]) return false;
  }
  return stack.length === 0;
}

describe('docs/grafana and docs/prometheus', () => {
  it('the dashboard is importable: uid, schemaVersion, a Prometheus datasource variable every panel uses, the panels operators need', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.templating.list.find((variable) => variable.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const queried = dashboard.panels.filter((panel) => panel.type !== 'row');
    for (const panel of queried) {
      expect([panel.title, panel.datasource?.uid, (panel.targets?.length ?? 0) > 0, (panel.targets ?? []).every((target) => target.expr.trim() !== '' && target.datasource?.uid === '${datasource}')]).toEqual([panel.title, '${datasource}', true, true]);
    }
    // Unique ids, and no two panels on the same cells of the 24-column grid.
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    const cells = dashboard.panels.flatMap((panel) => Array.from({ length: panel.gridPos.w * panel.gridPos.h }, (_, i) => `${panel.gridPos.x + (i % panel.gridPos.w)},${panel.gridPos.y + Math.floor(i / panel.gridPos.w)}`));
    expect(new Set(cells).size).toBe(cells.length);
    expect(dashboard.panels.every((panel) => panel.gridPos.x + panel.gridPos.w <= 24)).toBe(true);
    const uses = (pattern: RegExp): string[] => queried.filter((panel) => (panel.targets ?? []).some((target) => pattern.test(target.expr))).map((panel) => panel.title);
    expect({
      postsByState: uses(/quota_herald_posts\{/),
      lag: uses(/histogram_quantile\(0\.99, sum by \(le\) \(rate\(quota_herald_due_to_send_seconds_bucket/),
      lagP50: uses(/histogram_quantile\(0\.5,/),
      lagP95: uses(/histogram_quantile\(0\.95, sum by \(le\) \(rate\(quota_herald_due_to/),
      failures: uses(/quota_herald_publish_failures_total/),
      tokens: uses(/quota_herald_token_days_left/),
      caps: uses(/quota_herald_daily_cap_used_ratio/),
      webP95: uses(/histogram_quantile\(0\.95, sum by \(le, route\) \(rate\(quota_herald_http_request_duration_seconds_bucket/),
      revisions: uses(/changes\(quota_herald_config_revision/),
    }).toEqual({
      postsByState: ['Posts by state'],
      lag: ['Due → send lag (first attempts)'],
      lagP50: ['Due → send lag (first attempts)'],
      lagP95: ['Due → send lag (first attempts)'],
      failures: ['Publish failures by platform'],
      tokens: ['Token days left'],
      caps: ['Daily cap use'],
      webP95: ['Web latency p95 by route'],
      revisions: ['Config revision changes'],
    });
  });

  it('the alert rules cover what must wake someone, each with a severity and a summary', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual(
      [
        'QuotaHeraldDailyCapNearlyUsed',
        'QuotaHeraldInstanceDown',
        'QuotaHeraldLedgerUnreachable',
        'QuotaHeraldNotPublishing',
        'QuotaHeraldNotReady',
        'QuotaHeraldPostsDead',
        'QuotaHeraldPostsUnknown',
        'QuotaHeraldPublishLagHigh',
        'QuotaHeraldTokenExpiresSoon',
      ].sort(),
    );
    for (const rule of rules) {
      expect([rule.alert, balanced(rule.expr), ['page', 'ticket'].includes(rule.labels.severity ?? ''), typeof rule.annotations.summary, rule.for === undefined || /^\d+[smh]$/.test(rule.for)]).toEqual([rule.alert, true, true, 'string', true]);
    }
    const rule = (name: string): Rule => rules.find((each) => each.alert === name)!;
    expect(rule('QuotaHeraldPublishLagHigh')).toMatchObject({ for: '10m', expr: expect.stringMatching(/histogram_quantile\(0\.99, .*quota_herald_due_to_send_seconds_bucket.*\) > 0\.05\s*$/s) });
    expect(rule('QuotaHeraldTokenExpiresSoon').expr).toMatch(/< 7$/);
    expect(rule('QuotaHeraldDailyCapNearlyUsed').expr).toMatch(/> 0\.9$/);
    expect(rule('QuotaHeraldInstanceDown').expr).toMatch(/^up\{job="quota-herald"\} == 0$/);
    // Ledger gauges say the same on every instance: the first aggregation over them takes one copy, never a sum.
    const ledgerGauge = /quota_herald_(posts|posts_recent|posts_due_unsent|token_days_left|daily_cap_used_ratio|config_revision)\b/g;
    const firstAggregations = [...rules.map((each) => each.expr), ...dashboardExprs].flatMap((expr) => [...expr.matchAll(ledgerGauge)].map((match) => `${firstAggregation(expr, match.index)} ${match[0]}`));
    expect(firstAggregations.filter((each) => !/^(max|min) /.test(each))).toEqual([]);
    const summed = 'sum by (state) (changes(quota_herald_posts{a="b"}[1h]))';
    expect([firstAggregation(summed, summed.indexOf('quota_')), firstAggregation('sum(max by (office) (quota_herald_posts))', 21)]).toEqual(['sum', 'max']);
  });

  describe('against a real scrape', () => {
    const db = useTestStore('sqlite', {
      seed: async (store) => {
        await syncPlan(store, [buildPost({ n: 1, officeId: 'kanim-medan', channelId: 'kanim-medan/x', dueAt: at('2026-11-27T13:00+07:00'), deadline: null })], { from: at('2026-11-01T00:00+07:00'), to: at('2026-12-31T00:00+07:00') }, at('2026-11-01T00:00+07:00'));
        await createRevision(store, { officeId: 'kanim-medan', parentId: null, author: 'files', message: 'start', files: { 'herald.yaml': 'x' }, problems: [] }, NOW);
        await insertChannelToken(store, 'kanim-medan/instagram', { tokenSealed: null, source: 'env', envFingerprint: 'f', obtainedAt: NOW, expiresAt: at('2026-12-27T13:30+07:00') }, { owner: 'test', now: NOW });
      },
    });
    let app: FastifyInstance;
    let scrape: Scrape;

    beforeEach(async () => {
      const registry = createMetricsRegistry();
      const bot = registerBotMetrics(registry, {
        store: db.store,
        clock: { now: () => NOW },
        logger: pino({ level: 'silent' }),
        channels: () => [{ office: 'kanim-medan', channel: 'kanim-medan/x', platform: 'x', dailyCap: 100 }],
      });
      // What a run loop reports as it publishes: every labelled series gets a sample.
      bot.publish.sending('x', 0.004, 'first');
      bot.publish.published('x', 0.3, 'first');
      bot.publish.attemptFinished('x', null);
      bot.publish.attemptFinished('x', 'transient');
      bot.alertRaised('expired');
      app = await buildWebServer({
        store: db.store,
        logger: pino({ level: 'silent' }),
        clock: { now: () => NOW },
        offices: () => [{ id: 'kanim-medan', name: 'Kantor Imigrasi Medan', timezone: 'Asia/Jakarta', locale: 'id-ID' }],
        settings: { secureCookies: false, trustProxy: false },
        metrics: registry,
      });
      await app.inject({ method: 'GET', url: '/healthz' });
      scrape = parseScrape((await app.inject({ method: 'GET', url: '/metrics' })).body);
    });
    afterEach(async () => {
      await app.close();
    });

    it('every series the dashboard and the alert rules read is in it (`up` is Prometheus’ own)', () => {
      const names = [...new Set([...dashboardExprs, ...variableQueries.map((variable) => variable.selector), ...rules.map((rule) => rule.expr)].flatMap(seriesNames))].sort();
      expect(names).toEqual(expect.arrayContaining(['quota_herald_posts', 'quota_herald_due_to_send_seconds_bucket', 'quota_herald_publish_failures_total', 'up']));
      expect(names.filter((name) => name !== 'up' && !hasSeriesName(scrape, name))).toEqual([]);
    });

    it('every label they filter, group or show by is a label of the series (or one Prometheus adds)', () => {
      const texts = [
        ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => [target.expr, target.legendFormat ?? ''])),
        ...variableQueries.map((variable) => variable.selector),
        ...rules.flatMap((rule) => [rule.expr, ...Object.values(rule.annotations)]),
      ];
      const labelsOf = (name: string): Set<string> => new Set(scrape.samples.filter((sample) => sample.name === name).flatMap((sample) => Object.keys(sample.labels)));
      const listed = variableQueries.map((variable) => ({ name: seriesNames(variable.selector)[0]!, label: variable.label }));
      const missing = [...texts.flatMap(selectorLabels), ...listed].filter(({ name, label }) => name !== 'up' && !TARGET_LABELS.has(label) && !labelsOf(name).has(label));
      expect(missing).toEqual([]);
      const everyLabel = new Set([...scrape.samples.flatMap((sample) => Object.keys(sample.labels)), ...TARGET_LABELS]);
      expect(texts.flatMap(groupingLabels).filter((label) => !everyLabel.has(label))).toEqual([]);
    });
  });
});
