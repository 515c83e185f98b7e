/**
 * Reads a /metrics scrape with a parser that is not prom-client's:
 * parse-prometheus-text-format, a port of the grammar of Prometheus' own text
 * parser (it throws on a line that is not the format). prom-client's parser
 * would accept what prom-client writes by construction; a separate one catches
 * a scrape Prometheus could not read.
 *
 * One limitation, worked around here: for a histogram with labels it merges
 * every label set's buckets into one map and drops the labelled `_sum` and
 * `_count`. So a scrape is read twice: as written (families, their TYPE and
 * HELP, the grammar of every line), and with the TYPE lines left out, where
 * each `_bucket`, `_sum` and `_count` line parses as an untyped sample of its
 * own, labels intact: the values come from that pass.
 */
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  /** By family name (a counter's name ends in `_total`). */
  families: Map<string, ParsedFamily>;
  samples: Sample[];
}

export function parseScrape(text: string): Scrape {
  const families = new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family] as const));
  const untyped = parsePrometheusTextFormat(
    text
      .split('\n')
      .filter((line) => !line.startsWith('# TYPE '))
      .join('\n'),
  );
  const samples = untyped.flatMap((family) => family.metrics.map((metric) => ({ name: family.name, labels: metric.labels ?? {}, value: Number(metric.value) })));
  return { families, samples };
}

/** The value of the one sample of `name` whose labels are exactly `labels`; undefined when there is none. */
export function sampleValue(scrape: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const found = scrape.samples.filter((sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === wanted);
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${wanted}`);
  return found[0]?.value;
}

/**
 * Whether a name PromQL uses is in the scrape: a family, or a histogram's
 * `_bucket`, `_sum` or `_count` series.
 */
export function hasSeriesName(scrape: Scrape, name: string): boolean {
  if (scrape.families.has(name)) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  const family = base === undefined ? undefined : scrape.families.get(base);
  return family?.type === 'HISTOGRAM' || family?.type === 'SUMMARY';
}
