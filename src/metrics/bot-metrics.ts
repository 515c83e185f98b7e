/**
 * The metrics of the bot's run loop (`run` only; `serve` publishes nothing):
 * publish attempts and failures, due→send and due→published lag, alerts
 * raised, and each channel's use of its daily cap. Counters and histograms
 * are this instance's own (with several instances, `sum by` them); the daily
 * cap use is read from the shared ledger and says the same on every instance
 * (`max by`).
 */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AlertKind } from '../schedule/alerts';
import type { PublishObserver } from '../schedule/publish-observer';
import { countPublishedLastDay } from '../store/ledger-metrics';
import type { Store } from '../store/open';
import { METRIC_PREFIX, type MetricsRegistry } from './registry';

/**
 * Seconds. Fine below 50 ms (the due → first byte target is p99 ≤ 50 ms), then
 * coarse up to a minute: a retry or a slow platform still lands in a bucket.
 */
export const LAG_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** A channel of the running config. */
export interface RunningChannel {
  office: string;
  channel: string;
  /** The driver: `x`, `instagram`, `outbox`. */
  platform: string;
  /** Posts per rolling 24 h; undefined: no cap. */
  dailyCap: number | undefined;
}

export interface BotMetricsDeps {
  store: Store;
  clock: Pick<Clock, 'now'>;
  logger: Logger;
  /** The channels of the config running now (a reload changes them). */
  channels: () => readonly RunningChannel[];
}

export interface BotMetrics {
  publish: PublishObserver;
  /** An alert went out (after the sink's "once per problem"). */
  alertRaised(kind: AlertKind): void;
}

export function registerBotMetrics(metrics: MetricsRegistry, deps: BotMetricsDeps): BotMetrics {
  const registers = [metrics.registry];
  const attempts = new Counter({
    name: `${METRIC_PREFIX}publish_attempts_total`,
    help: 'Publish attempts whose outcome this instance recorded, by platform (driver).',
    labelNames: ['platform'] as const,
    registers,
    collect() {
      // Every platform of the running config from zero, so `increase()` sees its first attempt.
      for (const platform of new Set(deps.channels().map((channel) => channel.platform))) this.inc({ platform }, 0);
    },
  });
  const failures = new Counter({
    name: `${METRIC_PREFIX}publish_failures_total`,
    help: 'Publish attempts that did not publish, by platform and kind (transient, rate-limited, auth, permanent, unclear, deadline-passed, card-missing, lease-lost, database-unreachable, no-channel).',
    labelNames: ['platform', 'kind'] as const,
    registers,
  });
  const dueToSend = new Histogram({
    name: `${METRIC_PREFIX}due_to_send_seconds`,
    help: 'Seconds from a post being due to the request that creates it going out (the first byte; target p99 <= 0.05 on first attempts).',
    labelNames: ['platform', 'attempt'] as const,
    buckets: LAG_BUCKETS,
    registers,
  });
  const dueToPublished = new Histogram({
    name: `${METRIC_PREFIX}due_to_published_seconds`,
    help: "Seconds from a post being due to the platform confirming it (includes the platform's own answer time).",
    labelNames: ['platform', 'attempt'] as const,
    buckets: LAG_BUCKETS,
    registers,
  });
  const alerts = new Counter({
    name: `${METRIC_PREFIX}alerts_total`,
    help: 'Alerts this instance raised, by kind (each problem once, as the alert sink reports it).',
    labelNames: ['kind'] as const,
    registers,
  });
  let capReadFailing = false;
  new Gauge({
    name: `${METRIC_PREFIX}daily_cap_used_ratio`,
    help: 'Posts published in the last rolling 24 h over the daily cap, per capped channel (1 = the cap is used up).',
    labelNames: ['office', 'platform', 'channel'] as const,
    registers,
    async collect() {
      this.reset();
      const channels = deps.channels().filter((channel) => channel.dailyCap !== undefined && channel.dailyCap > 0);
      if (channels.length === 0) return;
      let published: Map<string, number>;
      try {
        published = await countPublishedLastDay(deps.store, deps.clock.now());
        capReadFailing = false;
      } catch (error) {
        if (!capReadFailing) deps.logger.warn({ err: error }, 'metrics: the ledger does not answer; the daily cap use is left out of the scrape until it does');
        capReadFailing = true;
        return;
      }
      for (const { office, channel, platform, dailyCap } of channels) {
        this.set({ office, platform, channel }, (published.get(channel) ?? 0) / dailyCap!);
      }
    },
  });

  return {
    publish: {
      attemptFinished(platform, failure) {
        attempts.inc({ platform });
        if (failure !== null) failures.inc({ platform, kind: failure });
      },
      sending(platform, lagSeconds, attempt) {
        dueToSend.observe({ platform, attempt }, Math.max(0, lagSeconds));
      },
      published(platform, lagSeconds, attempt) {
        dueToPublished.observe({ platform, attempt }, Math.max(0, lagSeconds));
      },
    },
    alertRaised(kind) {
      alerts.inc({ kind });
    },
  };
}
