/**
 * How long until a post is due, in words staff read at a glance:
 * `dalam 2 jam 15 menit`, `dalam 3 hari 4 jam`. Rendered on the server (the
 * page needs no JavaScript); two units at most, rounded down, so a countdown
 * never promises more time than there is.
 */
import type { Lang } from '../../i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const WORDS: Record<Lang, { day: [string, string]; hour: [string, string]; minute: [string, string]; in: (text: string) => string; soon: string; now: string; late: (text: string) => string }> = {
  id: { day: ['hari', 'hari'], hour: ['jam', 'jam'], minute: ['menit', 'menit'], in: (text) => `dalam ${text}`, soon: 'kurang dari 1 menit lagi', now: 'sedang jatuh tempo', late: (text) => `terlambat ${text}` },
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'], in: (text) => `in ${text}`, soon: 'in less than a minute', now: 'due now', late: (text) => `${text} late` },
};

/** `ms` from now to the due time; negative when it is past (a post still before its deadline, waiting to go). */
export function countdownText(ms: number, lang: Lang): string {
  const words = WORDS[lang];
  const span = Math.abs(ms);
  if (span < MINUTE) return ms >= 0 ? words.soon : words.now;
  const days = Math.floor(span / DAY);
  const hours = Math.floor((span % DAY) / HOUR);
  const minutes = Math.floor((span % HOUR) / MINUTE);
  const unit = (count: number, [one, many]: [string, string]): string => `${count} ${count === 1 ? one : many}`;
  const parts =
    days > 0 ? [unit(days, words.day), ...(hours > 0 ? [unit(hours, words.hour)] : [])] : hours > 0 ? [unit(hours, words.hour), ...(minutes > 0 ? [unit(minutes, words.minute)] : [])] : [unit(minutes, words.minute)];
  const text = parts.join(' ');
  return ms < 0 ? words.late(text) : words.in(text);
}
