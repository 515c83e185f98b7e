/**
 * The loader's problems said again in Indonesian for the console's forms.
 * The loader writes its messages in English for `check` and the logs; the
 * console shows staff the Indonesian sentence beside the field and keeps the
 * English one (with `file:line:col`) as the detail. Messages not listed here
 * get a general sentence by field; the detail still says exactly what is wrong.
 */
import type { Problem } from '../../errors';

type Rule = [RegExp, (match: RegExpExecArray) => string];

const RULES: Rule[] = [
  [/a quota count is a whole number/, () => 'Jumlah kuota harus bilangan bulat, tanpa koma atau titik.'],
  [/a quota count cannot be negative/, () => 'Jumlah kuota tidak boleh negatif: tulis 0 bila tidak ada kuota.'],
  [/`?quota\.[^`\s]+`? should be a whole number|^`[^`]+` should be a number, not .*Number of slots/, () => 'Jumlah kuota harus berupa angka bulat, 0 atau lebih.'],
  [/write the date as YYYY-MM-DD/, () => 'Tulis tanggal sebagai TTTT-BB-HH, mis. 2026-12-24.'],
  [/this date does not exist in the calendar/, () => 'Tanggal ini tidak ada di kalender: periksa hari dan bulannya.'],
  [/write the time as HH:mm/, () => 'Tulis jam sebagai JJ:mm antara 00:00 dan 23:59, mis. 14:00.'],
  [/write the opening as/, () => 'Tulis waktu buka sebagai "TTTT-BB-HH JJ:mm", mis. "2026-12-11 09:00".'],
  [/write the closing as/, () => 'Tulis waktu tutup sebagai "TTTT-BB-HH JJ:mm", atau JJ:mm pada hari pembukaan, mis. "17:00".'],
  [/not after it opens|closes at or before it opens/, () => 'Waktu tutup harus sesudah waktu buka.'],
  [/quota for unknown service `([^`]+)`: use one of ([^.]+?) or add/, (m) => `Layanan \`${m[1]}\` tidak dikenal: gunakan salah satu dari ${m[2]}.`],
  [/service day (\S+) is before the opening/, (m) => `Hari layanan ${m[1]} sebelum tanggal pembukaan: kuota harus dibuka sebelum hari layanannya.`],
  [/already begun by then/, () => 'Kuota harus dibuka sebelum pukul 00.00 pada setiap hari layanan: buka lebih awal atau hapus hari itu.'],
  [/(\S+) is listed twice in this release/, (m) => `Tanggal ${m[1]} tercantum dua kali dalam pembukaan ini: gabungkan keduanya.`],
  [/both give counts for|gives two counts for/, () => 'Hari layanan ini sudah mendapat kuota dari pembukaan lain untuk layanan yang sama: cantumkan setiap hari layanan sekali saja.'],
  [/use letters, digits, `-`, `_` or `\.` for /, () => 'Kode hanya boleh berisi huruf, angka, -, _ atau titik, diawali huruf atau angka (tanpa spasi, @ atau :).'],
  [/duplicate [a-z ]+ id `([^`]+)`/, (m) => `Id \`${m[1]}\` sudah dipakai: setiap id harus berbeda.`],
  [/list at least one service day/, () => 'Pilih minimal satu hari layanan.'],
  [/write a reason/, () => 'Tulis alasannya: unggahan menyebutkan mengapa tidak ada kuota pada hari itu.'],
  [/is (\d+) characters long; posts have room for (\d+)/, (m) => `Teks ini ${m[1]} karakter; unggahan hanya memuat ${m[2]} karakter: persingkat.`],
  [/`to` \((\S+)\) is before `from` \((\S+)\)/, (m) => `Tanggal akhir (${m[1]}) sebelum tanggal awal (${m[2]}): tukar keduanya.`],
  [/`until` \((\S+)\) is before `from` \((\S+)\)/, (m) => `Tanggal terakhir (${m[1]}) sebelum tanggal pertama (${m[2]}): tukar keduanya.`],
  [/write either \{ date, reason \}/, () => 'Isi satu tanggal, atau rentang tanggal (dari dan sampai), beserta alasannya.'],
  [/say how often it opens/, () => 'Pilih seberapa sering kuota dibuka: mingguan, bulanan, atau dua kali sebulan.'],
  [/give only one of weekly, monthly or twiceMonthly/, () => 'Pilih satu saja: mingguan, bulanan, atau dua kali sebulan.'],
  [/write the earlier day first/, () => 'Tulis tanggal yang lebih awal dulu, dan dua tanggal yang berbeda, mis. [1, 16].'],
  [/opens on (\d{4}-\d{2}-\d{2}), a day the office is closed \(([^)]*)\)/, (m) => `Pembukaan tanggal ${m[1]} jatuh pada hari kantor tutup (${m[2]}); pembukaan tetap terjadi dan diumumkan. Bila tidak seharusnya, batalkan tanggal itu dari halaman kalender.`],
  [/but the office is closed that day \(([^)]*)\)/, (m) => `Kantor tutup pada hari itu (${m[1]}), jadi hari itu tidak diumumkan.`],
  [/covers only closed days/, () => 'Pembukaan ini hanya mencakup hari libur atau tutup: tidak ada yang diumumkan. Batalkan atau pilih hari buka.'],
  [/is not a date recurring rule \S+ opens on|is a \w+, but this rule opens on/, () => 'Tanggal ini bukan hari pembukaan rutin tersebut, jadi tidak ada yang dibatalkan: pilih tanggal pembukaannya.'],
  [/cancelReason is only shown for a cancelled release/, () => 'Alasan pembatalan hanya tampil untuk pembukaan yang dibatalkan.'],
  [/^unknown key `([^`]+)`/, (m) => `Isian \`${m[1]}\` tidak dikenal di calendar.yaml: hapus atau perbaiki ejaannya.`],
  [/^missing `([^`]+)`/, (m) => `Isian \`${m[1]}\` wajib diisi.`],
  [/cannot be `([^`]+)`: use one of/, (m) => `Nilai \`${m[1]}\` tidak dapat dipakai di sini.`],
  [/CSV file `([^`]+)` not found/, (m) => `Berkas CSV \`${m[1]}\` tidak ada: unggah berkasnya atau perbaiki namanya.`],
  [/YAML syntax error/, () => 'calendar.yaml tidak dapat dibaca (kesalahan penulisan YAML).'],
  [/nothing will be announced|no quota openings will be announced/, () => 'Kalender ini tidak berisi pembukaan kuota: tidak ada yang akan diumumkan.'],
];

const FIELD_WORDS: Record<string, string> = {
  quota: 'Jumlah kuota',
  date: 'Tanggal',
  from: 'Tanggal awal',
  to: 'Tanggal akhir',
  until: 'Tanggal terakhir',
  opensAt: 'Waktu buka',
  closesAt: 'Waktu tutup',
  at: 'Jam buka',
  note: 'Catatan',
  reason: 'Alasan',
  cancelReason: 'Alasan pembatalan',
  id: 'Id',
};

/** The problem in Indonesian; `path` is the data path it concerns (field-problems.ts), when known. */
export function inIndonesian(problem: Pick<Problem, 'message' | 'severity' | 'location'>, path?: readonly (string | number)[]): string {
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(problem.message);
    if (match) return say(match);
  }
  if (problem.location && /\.csv$/i.test(problem.location.file)) {
    return `Berkas CSV ${problem.location.file.split('/').pop()} baris ${problem.location.line} bermasalah: lihat rinciannya.`;
  }
  const named = [...(path ?? [])].reverse().find((step): step is string => typeof step === 'string' && FIELD_WORDS[step] !== undefined);
  const what = path?.includes('quota') ? 'Jumlah kuota' : named ? FIELD_WORDS[named] : 'Isian ini';
  return problem.severity === 'warning' ? `Perhatian: periksa ${what!.toLowerCase()} (lihat rinciannya).` : `${what} tidak dapat diterima: lihat rinciannya.`;
}
