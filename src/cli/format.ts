/** Human-readable output helpers: local times with the zone, aligned tables. */
import { formatStaffTime } from '../render/helpers/staff-time';

/**
 * An instant as staff read it, in the office zone: `Jum 4 Des 14.00 WIB`, with
 * the year when it is not `now`'s (see render/helpers/staff-time); `-` for none.
 */
export function localStamp(instant: Date | null, zone: string, now?: Date): string {
  return instant ? formatStaffTime(instant, zone, now) : '-';
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
