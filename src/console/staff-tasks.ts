/**
 * What needs staff, each with a stable `kind` code and, in plain words, what
 * happened and what to do. Pure: the dashboard gathers the facts
 * (dashboard.ts) and this turns them into tasks.
 */
import type { ConsoleLang, StaffTime } from './view-parts';

export type StaffTaskKind =
  /** A post failed permanently (the platform refused it). */
  | 'post-dead'
  /** A post could not go out before its deadline. */
  | 'post-expired'
  /** Unclear whether a post went out; the bot is reading the account back. */
  | 'post-unknown'
  /** The office's newest config edit was rejected; the last good revision runs. */
  | 'config-rejected'
  /** The running revision has warnings. */
  | 'config-warning'
  /** A channel's access token has expired. */
  | 'token-expired'
  /** A channel's access token expires soon. */
  | 'token-expiring'
  /** The last account check reported a problem. */
  | 'account-problem'
  /** More posts in some 24 hours than the channel's daily cap. */
  | 'daily-cap-over'
  /** Close to the channel's daily cap. */
  | 'daily-cap-near'
  /** X posts with a link this month: each costs far more than one without. */
  | 'x-link-cost';

export interface StaffTask {
  kind: StaffTaskKind;
  /** `error`: something is (or will be) missed; `warning`: look at it soon. */
  severity: 'error' | 'warning';
  title: string;
  /** What to do. */
  action: string;
  /** Facts behind it (error messages, config problems as FILE:LINE:COL), times in office time. */
  details: string[];
  postId?: string;
  channelId?: string;
  revisionId?: number;
  /** When it happened or is due. */
  at?: StaffTime;
}

export interface TaskText {
  title: string;
  action: string;
}

type Texts = { [K in StaffTaskKind]: (p: Record<string, string>) => TaskText };

const ID: Texts = {
  'post-dead': (p) => ({
    title: `Unggahan ${p.rule} ke ${p.channel} gagal (jadwal ${p.due})`,
    action: 'Baca pesan galatnya dan perbaiki penyebabnya (akun, teks, atau gambar). Bot tidak mengirimnya lagi: unggah sendiri bila pengumumannya masih berguna.',
  }),
  'post-expired': (p) => ({
    title: `Unggahan ${p.rule} ke ${p.channel} kedaluwarsa (jadwal ${p.due})`,
    action: 'Unggahan ini tidak terkirim sebelum batas waktunya dan tidak akan dikirim terlambat. Umumkan sendiri bila masih perlu, lalu cari tahu penyebabnya (bot mati, akun ditolak, batas harian).',
  }),
  'post-unknown': (p) => ({
    title: `Belum pasti apakah unggahan ${p.rule} ke ${p.channel} sudah tampil (jadwal ${p.due})`,
    action: `Bot sedang mencocokkan dengan akun ${p.channel}. Jangan mengunggah ulang sendiri sebelum Anda memeriksa akun itu: bila unggahannya sudah tampil, tidak perlu apa-apa.`,
  }),
  'config-rejected': (p) => ({
    title: `Perubahan konfigurasi ditolak (revisi ${p.revision} oleh ${p.author}, ${p.at})`,
    action: `Perbaiki kesalahan di bawah lalu simpan lagi. Sementara itu jadwal dari revisi terakhir yang benar (${p.current}) tetap berjalan.`,
  }),
  'config-warning': (p) => ({
    title: `Konfigurasi yang berjalan (revisi ${p.revision}) punya ${p.count} peringatan`,
    action: 'Periksa peringatan di bawah. Jadwal tetap berjalan; perbaiki bila peringatannya benar.',
  }),
  'token-expired': (p) => ({
    title: `Token akun ${p.channel} sudah kedaluwarsa (${p.at})`,
    action: `Unggahan ke ${p.channel} berhenti. Buat token jangka panjang baru di Meta developer dashboard, simpan di .env sebagai ${p.variable}, lalu mulai ulang bot.`,
  }),
  'token-expiring': (p) => ({
    title: `Token akun ${p.channel} kedaluwarsa dalam ${p.days} hari (${p.at})`,
    action: `Buat token jangka panjang baru di Meta developer dashboard, simpan di .env sebagai ${p.variable}, lalu mulai ulang bot sebelum tanggal itu.`,
  }),
  'account-problem': (p) => ({
    title: `Pemeriksaan akun ${p.channel} menemukan masalah (${p.at})`,
    action: 'Baca pesan di bawah dan lakukan yang disarankan. Bot memeriksa akun lagi setiap 6 jam.',
  }),
  'daily-cap-over': (p) => ({
    title: `${p.count} unggahan ke ${p.channel} dalam 24 jam mulai ${p.at}, lebih dari batas harian ${p.cap}`,
    action: 'Sebagian unggahan akan tertunda dan bisa kedaluwarsa. Kurangi aturan atau kanal untuk hari itu, atau naikkan dailyCap bila akun mengizinkan.',
  }),
  'daily-cap-near': (p) => ({
    title: `${p.count} dari ${p.cap} unggahan harian ke ${p.channel} terpakai dalam 24 jam mulai ${p.at}`,
    action: 'Batas harian hampir tercapai. Jangan menambah unggahan di akun ini pada hari itu, atau kurangi aturan atau kanal.',
  }),
  'x-link-cost': (p) => ({
    title: `${p.count} unggahan X bulan ini berisi tautan (US$${p.perUrl} per unggahan, bukan US$${p.perPost})`,
    action: 'Hapus tautan dan nama domain (misalnya imigrasi.go.id) dari teks X di templates/captions/*.x.hbs.',
  }),
};

const EN: Texts = {
  'post-dead': (p) => ({
    title: `The ${p.rule} post to ${p.channel} failed (due ${p.due})`,
    action: 'Read its error and fix the cause (account, text or image). The bot will not send it again: post it yourself if it is still useful.',
  }),
  'post-expired': (p) => ({
    title: `The ${p.rule} post to ${p.channel} expired (due ${p.due})`,
    action: 'It did not go out before its deadline and will never be sent late. Announce it yourself if still needed, then find out why (bot down, account refused, daily cap).',
  }),
  'post-unknown': (p) => ({
    title: `Unclear whether the ${p.rule} post to ${p.channel} went out (due ${p.due})`,
    action: `The bot is reading the ${p.channel} account back. Do not post it again yourself before checking that account: if the post is there, nothing needs doing.`,
  }),
  'config-rejected': (p) => ({
    title: `A config edit was rejected (revision ${p.revision} by ${p.author}, ${p.at})`,
    action: `Fix the errors below and save again. Meanwhile the schedule of the last good revision (${p.current}) keeps running.`,
  }),
  'config-warning': (p) => ({
    title: `The running config (revision ${p.revision}) has ${p.count} warning(s)`,
    action: 'Look at the warnings below. The schedule keeps running; fix what is right.',
  }),
  'token-expired': (p) => ({
    title: `The ${p.channel} account token expired (${p.at})`,
    action: `Posts to ${p.channel} stop. Generate a new long-lived token in the Meta developer dashboard, put it in .env as ${p.variable}, restart the bot.`,
  }),
  'token-expiring': (p) => ({
    title: `The ${p.channel} account token expires in ${p.days} day(s) (${p.at})`,
    action: `Generate a new long-lived token in the Meta developer dashboard, put it in .env as ${p.variable}, restart the bot before then.`,
  }),
  'account-problem': (p) => ({
    title: `The check of the ${p.channel} account found problems (${p.at})`,
    action: 'Read the messages below and do what they say. The bot checks accounts again every 6 hours.',
  }),
  'daily-cap-over': (p) => ({
    title: `${p.count} posts to ${p.channel} in the 24 hours from ${p.at}, over its daily cap of ${p.cap}`,
    action: 'Some posts will wait and may expire. Drop a rule or channel for that day, or raise dailyCap if the account allows more.',
  }),
  'daily-cap-near': (p) => ({
    title: `${p.count} of ${p.cap} daily posts to ${p.channel} used in the 24 hours from ${p.at}`,
    action: 'Close to the daily cap. Do not add posts to this account that day, or drop a rule or channel.',
  }),
  'x-link-cost': (p) => ({
    title: `${p.count} X post(s) this month contain a link (US$${p.perUrl} each instead of US$${p.perPost})`,
    action: 'Remove links and domain names (such as imigrasi.go.id) from the X captions in templates/captions/*.x.hbs.',
  }),
};

export function taskText(kind: StaffTaskKind, params: Record<string, string>, lang: ConsoleLang): TaskText {
  return (lang === 'id' ? ID : EN)[kind](params);
}

const ORDER: readonly StaffTaskKind[] = [
  'token-expired',
  'config-rejected',
  'post-unknown',
  'post-dead',
  'post-expired',
  'daily-cap-over',
  'token-expiring',
  'account-problem',
  'daily-cap-near',
  'config-warning',
  'x-link-cost',
];

/** Errors first, then by kind (what stops posts first), then latest first. */
export function sortTasks(tasks: StaffTask[]): StaffTask[] {
  const rank = (task: StaffTask): number => (task.severity === 'error' ? 0 : 1) * 100 + ORDER.indexOf(task.kind);
  return [...tasks].sort((a, b) => rank(a) - rank(b) || (b.at?.iso ?? '').localeCompare(a.at?.iso ?? ''));
}
