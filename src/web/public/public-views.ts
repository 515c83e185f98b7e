/**
 * The public pages' views: their own Handlebars instance, every view and
 * partial under ./views compiled once at start (a page view is then one
 * synchronous call, no file read), and the one public layout around them.
 *
 * Handlebars escapes every `{{value}}`: office names, notes, post text and
 * alt text come from staff and from the calendar, and are shown as text,
 * never as markup. Only `{{{body}}}` in the layout is raw: it is this module's
 * own output.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

const VIEWS_DIR = path.join(__dirname, 'views');
const PARTIAL_PREFIX = '_';

export type PublicView = (data: Record<string, unknown>) => string;

export interface PublicViews {
  /** `office` renders views/office.hbs inside views/layout.hbs. */
  page(name: string, data: PublicPageData): string;
  /** A view without the layout (the widget is a whole document of its own). */
  bare(name: string, data: Record<string, unknown>): string;
}

/** What the layout needs besides the view's own data. */
export interface PublicPageFields {
  /** The <title> and the <h1>. */
  title: string;
  /** A code after the title (`Pengumuman` + `K7M2-Q9XD`), never broken across lines at its dash. */
  titleCode?: string;
  /** The office of an office page: its name in the header and its menu. */
  office?: { id: string; name: string; current: 'page' | 'archive' | null };
  /** `<link rel="alternate" type="application/atom+xml">` of the office's feed. */
  atomHref?: string;
  description?: string;
  [key: string]: unknown;
}

export interface PublicPageData extends PublicPageFields {
  /** The stylesheet's hashed URL (public-assets.ts). */
  cssHref: string;
}

export function loadPublicViews(dir = VIEWS_DIR): PublicViews {
  const engine = Handlebars.create();
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const views = new Map<string, PublicView>();
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith('.hbs')) continue;
    const name = file.slice(0, -'.hbs'.length);
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const compiled = engine.compile(source, { preventIndent: true });
    if (name.startsWith(PARTIAL_PREFIX)) engine.registerPartial(name.slice(PARTIAL_PREFIX.length), compiled);
    else views.set(name, compiled);
  }
  const view = (name: string): PublicView => {
    const found = views.get(name);
    if (!found) throw new Error(`public view "${name}" does not exist in ${dir}`);
    return found;
  };
  const layout = view('layout');
  return {
    page: (name, data) => layout({ ...data, body: view(name)(data) }),
    bare: (name, data) => view(name)(data),
  };
}
