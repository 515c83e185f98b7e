/** Human-readable output helpers: local times with the zone, aligned tables. */
import { toLocal } from '../time/zone';

export function localStamp(instant: Date | null, zone: string): string {
  if (!instant) return '-';
  const local = toLocal(instant, zone);
  return `${local.date} ${local.time}`;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
