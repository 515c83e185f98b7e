/**
 * The console's words, Indonesian first (staff read Indonesian), English on
 * request (`?lang=en`, remembered in a cookie). A page module brings its own
 * words as a `Messages` (web/console-page.ts) and they are merged with these;
 * a key missing in English falls back to the Indonesian text, a key missing
 * everywhere shows itself, so a typo is visible on the page instead of blank.
 */
export const LANGS = ['id', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'id';

/** Indonesian is complete; English may lag behind. `{name}` placeholders are filled by `translate`. */
export interface Messages {
  id: Readonly<Record<string, string>>;
  en: Readonly<Record<string, string>>;
}

export const CORE_MESSAGES: Messages = {
  id: {
    'app.name': 'Konsol quota-herald',
    'nav.skip': 'Langsung ke isi',
    'nav.home': 'Beranda',
    'nav.logout': 'Keluar',
    'nav.signedInAs': 'Masuk sebagai {name}',
    'nav.language': 'Bahasa',
    'nav.office': 'Menu kantor {office}',
    'nav.dashboard': 'Dasbor',
    'nav.calendar': 'Kalender',
    'nav.preview': 'Pratinjau',
    'nav.approvals': 'Persetujuan',
    'nav.history': 'Riwayat',
    'nav.users': 'Pengguna',
    'nav.account': 'Akun saya',
    'login.title': 'Masuk',
    'login.name': 'Nama pengguna',
    'login.password': 'Kata sandi',
    'login.submit': 'Masuk',
    'login.failed': 'Nama pengguna atau kata sandi salah.',
    'login.locked': 'Terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit.',
    'login.signedOut': 'Anda sudah keluar.',
    'login.expired': 'Sesi Anda berakhir. Silakan masuk lagi.',
    'home.title': 'Kantor',
    'home.intro': 'Kantor yang dapat Anda lihat:',
    'home.none': 'Akun Anda belum mendapat akses ke kantor mana pun. Hubungi admin.',
    'home.role': 'Peran',
    'home.office': 'Kantor',
    'home.timezone': 'Zona waktu',
    'office.title': '{office}',
    'role.admin': 'Admin',
    'role.editor': 'Penyunting',
    'role.approver': 'Penyetuju',
    'role.viewer': 'Pembaca',
    'role.global': 'Admin semua kantor',
    'error.title': 'Terjadi masalah',
    'error.403': 'Anda tidak punya akses ke halaman ini.',
    'error.404': 'Halaman tidak ditemukan.',
    'error.csrf': 'Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.',
    'error.429': 'Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.',
    'error.400': 'Permintaan tidak lengkap atau tidak sah.',
    'error.500': 'Terjadi kesalahan pada server. Coba lagi nanti.',
    'error.back': 'Kembali ke beranda',
  },
  en: {
    'app.name': 'quota-herald console',
    'nav.skip': 'Skip to content',
    'nav.home': 'Home',
    'nav.logout': 'Sign out',
    'nav.signedInAs': 'Signed in as {name}',
    'nav.language': 'Language',
    'nav.office': '{office} menu',
    'nav.dashboard': 'Dashboard',
    'nav.calendar': 'Calendar',
    'nav.preview': 'Preview',
    'nav.approvals': 'Approvals',
    'nav.history': 'History',
    'nav.users': 'Users',
    'nav.account': 'My account',
    'login.title': 'Sign in',
    'login.name': 'User name',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.failed': 'Wrong user name or password.',
    'login.locked': 'Too many failed attempts. Try again in {minutes} minutes.',
    'login.signedOut': 'You are signed out.',
    'login.expired': 'Your session ended. Please sign in again.',
    'home.title': 'Offices',
    'home.intro': 'Offices you can see:',
    'home.none': 'Your account has no access to any office yet. Ask an admin.',
    'home.role': 'Role',
    'home.office': 'Office',
    'home.timezone': 'Time zone',
    'office.title': '{office}',
    'role.admin': 'Admin',
    'role.editor': 'Editor',
    'role.approver': 'Approver',
    'role.viewer': 'Viewer',
    'role.global': 'Admin of every office',
    'error.title': 'Something went wrong',
    'error.403': 'You have no access to this page.',
    'error.404': 'Page not found.',
    'error.csrf': 'The form expired or is not valid. Reload the page and try again.',
    'error.429': 'Too many requests. Wait a moment and try again.',
    'error.400': 'The request is incomplete or not valid.',
    'error.500': 'The server had a problem. Try again later.',
    'error.back': 'Back to the home page',
  },
};

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

export function mergeMessages(...all: readonly Messages[]): Messages {
  return { id: Object.assign({}, ...all.map((m) => m.id)), en: Object.assign({}, ...all.map((m) => m.en)) };
}

export type Translate = (key: string, vars?: Readonly<Record<string, string | number>>) => string;

export function translator(messages: Messages, lang: Lang): Translate {
  return (key, vars) => {
    const text = messages[lang][key] ?? messages.id[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole)) : text;
  };
}
