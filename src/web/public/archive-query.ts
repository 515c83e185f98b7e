/**
 * The archive's query string: a date range in the office's calendar
 * (`?tanggal=2026-12-11`, or `?dari=…&sampai=…`, either end open) and the
 * page cursor (`?sebelum=<ISO instant>`: the publication time of the last
 * entry shown, so a page stays the same while new announcements arrive).
 * Dates are the office's days: 11 December in WIT starts at 15.00 UTC on the 10th.
 */
import { addDays, isPlainDate } from '../../time/plain-date';
import { fromLocal } from '../../time/zone';

export interface ArchiveQuery {
  /** As typed back into the form. */
  dari: string;
  sampai: string;
  from?: Date;
  /** Exclusive: the start of the day after `sampai`. */
  to?: Date;
  before?: Date;
  /** What is wrong with the query, in words: the page shows it above the form (400). */
  problem: string | null;
}

function one(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

export function parseArchiveQuery(query: Record<string, unknown>, zone: string): ArchiveQuery {
  const tanggal = one(query.tanggal);
  const dari = tanggal || one(query.dari);
  const sampai = tanggal || one(query.sampai);
  const result: ArchiveQuery = { dari, sampai, problem: null };
  const problems: string[] = [];
  if (dari) {
    if (isPlainDate(dari)) result.from = fromLocal(dari, '00:00', zone);
    else problems.push(`Tanggal awal "${dari}" tidak dikenali: tulis seperti 2026-12-11 (tahun-bulan-tanggal).`);
  }
  if (sampai) {
    if (isPlainDate(sampai)) result.to = fromLocal(addDays(sampai, 1), '00:00', zone);
    else problems.push(`Tanggal akhir "${sampai}" tidak dikenali: tulis seperti 2026-12-11 (tahun-bulan-tanggal).`);
  }
  if (result.from && result.to && result.from >= result.to) problems.push('Tanggal awal jatuh setelah tanggal akhir.');
  const sebelum = one(query.sebelum);
  if (sebelum) {
    const before = new Date(sebelum);
    if (Number.isNaN(before.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(sebelum)) problems.push('Tautan halaman berikutnya rusak; mulai lagi dari halaman pertama arsip.');
    else result.before = before;
  }
  if (problems.length > 0) return { dari, sampai, problem: problems.join(' ') };
  return result;
}

/** The query string of the next page: the same dates, older than `before`. */
export function nextPageQuery(query: ArchiveQuery, before: Date): string {
  const params = new URLSearchParams();
  if (query.dari) params.set('dari', query.dari);
  if (query.sampai) params.set('sampai', query.sampai);
  params.set('sebelum', before.toISOString());
  return `?${params.toString()}`;
}
