/**
 * Limit checks and template errors said again in plain Indonesian for the
 * preview and the template editor. The checks write English for `check` and
 * the logs (channels/check-post.ts, render/templates.ts); staff read the
 * Indonesian sentence, and the English one stays beside it as the detail.
 * Config problems (a rejected revision, files that do not load) go through the
 * edit forms' own words (console/edit/messages-id.ts).
 */
import type { Problem } from '../../../errors';
import { inIndonesian } from '../../../console/edit/messages-id';

type Rule = [RegExp, (match: RegExpExecArray) => string];

const LIMIT_RULES: Rule[] = [
  [/caption is (\d+) (characters|UTF-8 bytes|UTF-16 units)(?: \((?:weighted )?as (X|Threads|Bluesky|Mastodon) counts them[^)]*\))?[^,]*, over the limit of (\d+)/, (m) => `Caption ${m[1]} ${m[2] === 'characters' ? 'karakter' : m[2] === 'UTF-8 bytes' ? 'bita UTF-8' : 'unit UTF-16'}${m[3] ? ` menurut hitungan ${m[3]}` : ''}, melebihi batas ${m[4]}. Unggahan ini tidak akan terkirim: persingkat template caption.`],
  [/caption is empty/, () => 'Caption kosong: template caption tidak menghasilkan teks.'],
  [/X text contains a link/, () => 'Caption X memuat tautan: X menagih $0,20 (bukan $0,015) untuk unggahan bertautan. Hapus tautan dari template caption X.'],
  [/caption has (\d+) hashtags, over the limit of (\d+)/, (m) => `Caption memuat ${m[1]} tagar, melebihi batas ${m[2]}: kurangi tagarnya.`],
  [/caption has (\d+) @-mentions, over the limit of (\d+)/, (m) => `Caption menyebut ${m[1]} akun (@), melebihi batas ${m[2]}: kurangi.`],
  [/needs at least (\d+) image/, (m) => `Unggahan ini perlu minimal ${m[1]} gambar: tambahkan template kartu.`],
  [/has (\d+) images, over the limit of (\d+)/, (m) => `Unggahan ini memuat ${m[1]} gambar, melebihi batas ${m[2]}.`],
  [/ is ([\d.]+) MB, over ([\d.]+) MB/, (m) => `Gambar ${m[1]} MB, melebihi ${m[2]} MB: sederhanakan kartunya.`],
  [/aspect ratio/, () => 'Perbandingan lebar dan tinggi gambar di luar batas platform ini.'],
  [/px wide, (under|over)/, () => 'Lebar gambar di luar batas platform ini.'],
  [/has no alt text/, () => 'Gambar tanpa teks alternatif: template alt tidak menghasilkan teks.'],
  [/alt text is (\d+) characters, over the limit of (\d+)/, (m) => `Teks alternatif ${m[1]} karakter, melebihi batas ${m[2]}: persingkat template alt.`],
  [/this channel accepts/, () => 'Jenis berkas gambar ini tidak diterima kanal ini.'],
  [/^not planned: /, () => 'Unggahan ini tidak dijadwalkan (alasannya di rincian).'],
];

const TEMPLATE_RULES: Rule[] = [
  [/\{\{#(\S+)\}\} is closed by \{\{\/(\S+)\}\}/, (m) => `Blok {{#${m[1]}}} ditutup dengan {{/${m[2]}}}: tutup blok sesuai urutan pembukaannya.`],
  [/a \{\{ closed with a single \}/, () => 'Ada {{ yang ditutup dengan satu } saja, atau simbol yang tidak boleh ada di dalam {{ }}.'],
  [/the template ends while/, () => 'Template berakhir padahal sebuah {{ }} atau blok masih terbuka.'],
  [/a \}\} closes nothing/, () => 'Ada }} yang tidak menutup apa pun ({{}} kosong, atau nama hilang sebelum }}).'],
  [/a \{\{ opens inside another/, () => 'Ada {{ di dalam {{ }} lain yang belum ditutup.'],
  [/template syntax error/, () => 'Penulisan {{ }} di sini salah: periksa tanda kurungnya.'],
  [/unknown variable "([^"]+)"/, (m) => `Isian "${m[1]}" tidak dikenal: periksa ejaannya (nama yang tersedia ada di rincian).`],
  [/unknown helper "([^"]+)"/, (m) => `Fungsi "${m[1]}" tidak dikenal: daftar fungsi ada di docs/templates.md.`],
  [/unknown partial "([^"]+)"/, (m) => `Potongan "${m[1]}" tidak ada: perbaiki namanya.`],
  [/"([^"]+)" is not in this post's data/, (m) => `"${m[1]}" tidak ada pada data unggahan ini: bungkus dengan {{#if}} atau pakai isian yang dimiliki setiap unggahan.`],
];

function firstMatch(rules: readonly Rule[], message: string): string | undefined {
  for (const [pattern, say] of rules) {
    const match = pattern.exec(message);
    if (match) return say(match);
  }
  return undefined;
}

/** A post's problem (limit check, render failure) in Indonesian. */
export function limitProblemWords(problem: Pick<Problem, 'message' | 'severity'>): string {
  return (
    firstMatch(LIMIT_RULES, problem.message) ??
    firstMatch(TEMPLATE_RULES, problem.message) ??
    (problem.severity === 'error' ? 'Unggahan ini tidak lolos pemeriksaan dan tidak akan terkirim: lihat rinciannya.' : 'Perhatian: lihat rinciannya.')
  );
}

/** A template error (syntax, unknown name, missing field) in Indonesian. */
export function templateErrorWords(message: string): string {
  return firstMatch(TEMPLATE_RULES, message) ?? 'Template bermasalah di sini: lihat rinciannya.';
}

/** A config problem (files that do not load, a rejected revision) in Indonesian. */
export function configProblemWords(problem: Pick<Problem, 'message' | 'severity' | 'location'>): string {
  return firstMatch(TEMPLATE_RULES, problem.message) ?? inIndonesian(problem);
}

/** What a page shows of a problem: the sentence in the page's language, the check's own words, and where. */
export interface ProblemView {
  severity: Problem['severity'];
  error: boolean;
  text: string;
  /** The check's English message, with `file:line:col` when it has a place. */
  detail: string;
}

export function problemView(problem: Problem, lang: 'id' | 'en', words: (problem: Problem) => string): ProblemView {
  const where = problem.location ? `${problem.location.file}:${problem.location.line}:${problem.location.col}: ` : '';
  const subject = problem.subject ? `${problem.subject}: ` : '';
  const detail = `${where}${subject}${problem.message}`;
  // English readers get the check's own sentence; Indonesian readers both.
  return { severity: problem.severity, error: problem.severity === 'error', text: lang === 'id' ? words(problem) : problem.message, detail: lang === 'id' ? detail : `${where}${subject}`.replace(/: $/, '') };
}
