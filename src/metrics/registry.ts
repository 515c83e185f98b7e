/**
 * The metrics one web server (and, in `run`, its bot) exposes at /metrics,
 * in Prometheus text format (prom-client). Each web server or bot has its own
 * Registry, never prom-client's global one: tests and several servers in one
 * process must not count into each other's metrics or clash on names.
 *
 * The process's own metrics (CPU, memory, event loop lag, GC: prom-client's
 * defaults, under their standard names `process_*` and `nodejs_*`) describe
 * the process, not a server: they are collected once per process and added
 * to every scrape. Collecting them per registry would start another event-loop
 * monitor and GC observer for every server a test builds.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every metric of ours starts with this. */
export const METRIC_PREFIX = 'quota_herald_';

export interface MetricsRegistry {
  readonly registry: Registry;
  /** `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
  /** The text of one scrape: this registry's metrics, then the process's. */
  scrape(): Promise<string>;
}

let processRegistry: Registry | null = null;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export function createMetricsRegistry(): MetricsRegistry {
  const registry = new Registry();
  return {
    registry,
    contentType: registry.contentType,
    async scrape() {
      const [own, process] = await Promise.all([registry.metrics(), processMetrics().metrics()]);
      return `${own.endsWith('\n') || own === '' ? own : `${own}\n`}${process}`;
    },
  };
}

/**
 * Runs `read` once for every caller that asks while it is in flight: the
 * gauges one scrape collects side by side share one database read, and the
 * next scrape reads again.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
