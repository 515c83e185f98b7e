/**
 * Card layout: where every row, column and number of a card table goes, worked
 * out with the card font's real metrics before the template runs. The card
 * templates only paint what this decides (`{{#each card.table.rows}}`), so one
 * code path sizes the table for every calendar, from one service on one day to
 * six services over 31 days with counts of 99.999.
 *
 * The rules, in order:
 * 1. Rows are the folded day rows (day-rows.ts): equal consecutive days are one row.
 * 2. Columns are as wide as their widest measured text (header, counts, total).
 *    Headers use the service name when every one fits, else `shortName`.
 * 3. The row font steps down (36 → 22 px) until the columns fit across and,
 *    if possible, every row fits on the first card. Row labels drop the
 *    weekday ("4–8 Jan") only when even the smallest size is too wide.
 * 4. Rows that still do not fit continue on further cards of the same post
 *    (an Instagram carousel, up to four images on X); the Total row is on the last.
 *
 * The check after rendering (card-geometry.ts) measures the SVG independently
 * with the same font metrics, so a template that ignores this layout is caught.
 */
import type { DayRowView, QuotaView, RenderContext } from './context';
import type { FontSet } from './fonts';
import { formatDayRange, formatNumber as formatNumberSlow, type FormatEnv } from './helpers/format';
import { QR_MAX_VERSION, qrBoxSize } from './verify-qr';

/** formatNumber builds an Intl.NumberFormat per call (~0.1 ms); a table asks for the same few numbers many times. */
const numberCache = new Map<string, string>();
function formatNumber(value: number, env: FormatEnv): string {
  const key = `${env.locale}|${value}`;
  let text = numberCache.get(key);
  if (text === undefined) {
    if (numberCache.size > 50_000) numberCache.clear();
    text = formatNumberSlow(value, env);
    numberCache.set(key, text);
  }
  return text;
}

/** Horizontal extent of the text inside a card panel (the panel is x 70–1010). */
export const PANEL = { x: 70, width: 940, textLeft: 110, textRight: 970 } as const;
/**
 * Everything above this y belongs to the card body; the footer (booking,
 * warning, hashtags, the verification code and its QR code) is below. Moved up
 * from 1168 to make room for the QR code (issue 10).
 */
export const FOOT_TOP = 1112;
/**
 * Where the verification QR code goes (verify-view.ts): its box is drawn
 * against the right and bottom edges of this slot. The slot takes the largest
 * box a card may need (QR_MAX_VERSION at QR_MODULE_PX, verify-qr.ts); a
 * smaller code leaves the slot's top-left corner empty.
 */
export const QR_SLOT = { right: PANEL.x + PANEL.width, bottom: 1336, size: qrBoxSize(QR_MAX_VERSION) } as const;
/** The footer's text, left-aligned, beside the QR slot with a gap of 28 px. */
export const FOOT_TEXT = { x: PANEL.x, right: QR_SLOT.right - QR_SLOT.size - 28 } as const;

/** Row font sizes tried, largest first; 22 px is the smallest that still reads on a phone. */
const ROW_SIZES = [36, 34, 32, 30, 28, 26, 24, 22] as const;
/** Nothing on a card is smaller: column headers and notes included (test/render/card-layout.test.ts). */
const MIN_TEXT_PX: number = ROW_SIZES[ROW_SIZES.length - 1]!;
/** Space between columns, narrower only when the table is tight. */
const COLUMN_GAPS = [28, 18] as const;

/** One cell of a table line: right-aligned at `x`. */
export interface LaidCell {
  x: number;
  text: string;
}

export interface LaidRow {
  kind: DayRowView['kind'];
  /** Baseline of the row's text. */
  y: number;
  label: string;
  /** Counts (service rows), right-aligned in their columns. */
  cells: LaidCell[];
  /** Text across the count columns for rows without counts ("Libur: Natal"), right-aligned at `noteX`. */
  note: string | null;
  /** A tinted band behind closed days (holidays, closures), else null. */
  band: { y: number; height: number } | null;
}

export interface TablePage {
  /** The white panel. */
  panel: { y: number; height: number };
  /** Font sizes of this table (the same on every page of one post). */
  size: { row: number; header: number; note: number; total: number };
  header: { y: number; label: string; columns: LaidCell[] };
  ruleY: number;
  labelX: number;
  noteX: number;
  rows: LaidRow[];
  /** The Total row, on the last page only. */
  total: { y: number; band: { y: number; height: number }; label: string; cells: LaidCell[] } | null;
  /** First free y below the panel (for a note or the next opening). */
  below: number;
}

/** `card` in a card template's context: which card of the post this is and its laid-out table. */
export interface CardView {
  page: number;
  pages: number;
  first: boolean;
  last: boolean;
  /** The table of this card, or null when there is nothing to tabulate (e.g. a week without quota). */
  table: TablePage | null;
}

/** Where a table may go on a card, and what must stay free below it on the last card. */
export interface TableRegion {
  firstTop: number;
  /** Top of the table on a continuation card (its head is shorter). */
  nextTop: number;
  bottom: number;
  /** Height kept free under the panel on the last card (note, next opening). */
  reserveBelow: number;
}

/** The regions of the shipped card templates (templates/partials/card-table.hbs, cards/weekly.svg.hbs). */
export const REGIONS: Record<'release' | 'digest', TableRegion> = {
  release: { firstTop: 572, nextTop: 330, bottom: FOOT_TOP - 24, reserveBelow: 0 },
  digest: { firstTop: 440, nextTop: 330, bottom: FOOT_TOP - 24, reserveBelow: 0 },
};

const NOTE_WORDS = {
  closed: (reason: string | null, kind: DayRowView['closedKind']) => `${kind === 'closure' ? 'Tutup' : 'Libur'}: ${reason ?? ''}`,
  weekend: 'Tutup (akhir pekan)',
  none: 'Belum ada kuota',
};

const rowHeightOf = (size: number): number => Math.round(size * 1.62);
const HEADER_BLOCK = 80; // header baseline at top+52, rule at top+74, rows from +80
const PANEL_PAD = 14;
/** At most three table cards: with a how-to card that is X's limit of four images. */
const MAX_TABLE_CARDS = 3;
/** Room under the panel of a card that continues on the next one, for the "continued" hint. */
const CONTINUED_HINT = 56;


interface TableInput {
  rows: readonly DayRowView[];
  totals: readonly QuotaView[];
  /** The label column's header, longest first; a shorter one is used when the table is tight. */
  headerLabels: string[];
  region: TableRegion;
  /** Space the note takes under the table on the last card. */
  noteHeight: number;
}

interface Sizing {
  size: number;
  headerSize: number;
  labels: string[];
  columnWidths: number[];
  headers: string[];
  labelWidth: number;
  headerLabel: string;
  gap: number;
}

function ellipsize(text: string, maxWidth: number, measure: (t: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && measure(`${cut}…`) > maxWidth) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Column widths at one row size, or null when the table is wider than the panel. */
/**
 * What does not depend on the font size, worked out once per table: the row
 * labels and the widths at 1 px (widths scale with the size), so trying eight
 * sizes costs arithmetic, not eight rounds of formatting and measuring.
 */
interface Prepared {
  labels: Record<'full' | 'compact', string[]>;
  labelUnits: Record<'full' | 'compact', number>;
  countUnits: number[];
}
const prepared = new WeakMap<TableInput, Prepared>();

function prepare(input: TableInput, env: FormatEnv, fonts: FontSet): Prepared {
  let ready = prepared.get(input);
  if (ready) return ready;
  const full = input.rows.map((row) => rowLabel(row, env, false));
  const compact = input.rows.map((row) => rowLabel(row, env, true));
  const widest = (labels: string[]): number => Math.max(...labels.map((label) => fonts.measure(label, 1, 400)));
  const countUnits = input.totals.map((total, column) =>
    Math.max(
      ...input.rows.map((row) => {
        const count = row.cells[column]?.count;
        return row.kind === 'service' ? fonts.measure(count === null || count === undefined ? '–' : formatNumber(count, env), 1, 700) : 0;
      }),
      fonts.measure(formatNumber(total.count, env), 1, 800),
    ),
  );
  ready = { labels: { full, compact }, labelUnits: { full: widest(full), compact: widest(compact) }, countUnits };
  prepared.set(input, ready);
  return ready;
}

function sizeAt(size: number, input: TableInput, env: FormatEnv, fonts: FontSet, compactLabels: boolean): Sizing | null {
  const headerSize = Math.max(MIN_TEXT_PX, Math.min(26, Math.round(size * 0.75)));
  const ready = prepare(input, env, fonts);
  const variant = compactLabels ? 'compact' : 'full';
  const labels = ready.labels[variant];
  const widest = ready.labelUnits[variant] * size;
  const counts = ready.countUnits.map((units) => units * size);
  for (const gap of COLUMN_GAPS) {
    for (const headerLabel of input.headerLabels) {
      const labelWidth = Math.max(widest, fonts.measure(headerLabel, headerSize, 600));
      const space = PANEL.textRight - PANEL.textLeft - labelWidth - gap * input.totals.length;
      for (const names of [input.totals.map((t) => t.serviceName), input.totals.map((t) => t.shortName)]) {
        const widths = counts.map((w, i) => Math.max(w, fonts.measure(names[i]!, headerSize, 600)));
        if (widths.reduce((a, b) => a + b, 0) <= space) {
          return { size, headerSize, labels, columnWidths: widths, headers: names, labelWidth, headerLabel, gap };
        }
      }
      // Even the short names are too wide (six services of 20 characters): share out the room left and cut them with "…".
      const extra = space - counts.reduce((a, b) => a + b, 0);
      if (extra >= 0 && gap === COLUMN_GAPS[COLUMN_GAPS.length - 1] && headerLabel === input.headerLabels[input.headerLabels.length - 1]) {
        const measureHeader = (text: string): number => fonts.measure(text, headerSize, 600);
        const headers = input.totals.map((t, i) => ellipsize(t.shortName, counts[i]! + extra / counts.length, measureHeader));
        const widths = counts.map((w, i) => Math.max(w, measureHeader(headers[i]!)));
        if (widths.reduce((a, b) => a + b, 0) <= space) return { size, headerSize, labels, columnWidths: widths, headers, labelWidth, headerLabel, gap };
      }
    }
  }
  return null;
}

function rowLabel(row: DayRowView, env: FormatEnv, compact: boolean): string {
  const label = formatDayRange(row.from, row.to, env);
  // "Sen–Jum, 4–8 Jan" → "4–8 Jan"; across months "Sen, 28 Des – Jum, 1 Jan" → "28 Des – 1 Jan".
  return compact ? label.replace(/(^|– )[^,–]+(–[^,]+)?, /g, '$1') : label;
}

/** How many rows fit between `top` and `bottom`, with or without the Total row. */
function capacity(top: number, bottom: number, rowHeight: number, withTotal: boolean, below: number): number {
  const free = bottom - below - top - HEADER_BLOCK - PANEL_PAD - (withTotal ? rowHeight + 22 : 0);
  return Math.max(0, Math.floor(free / rowHeight));
}

/** Splits rows into cards: as few as possible, rows spread evenly, the Total (and note) on the last. */
function paginate(count: number, rowHeight: number, input: TableInput): number[] | null {
  const { region } = input;
  const below = region.reserveBelow + input.noteHeight;
  const capacities = (page: number): { plain: number; finishing: number } => {
    const top = page === 0 ? region.firstTop : region.nextTop;
    return { plain: capacity(top, region.bottom, rowHeight, false, CONTINUED_HINT), finishing: capacity(top, region.bottom, rowHeight, true, below) };
  };
  // How many cards: fill each as far as it goes.
  let cards = 0;
  for (let left = count; ; cards++) {
    if (cards >= MAX_TABLE_CARDS) return null;
    const { plain, finishing } = capacities(cards);
    if (left <= finishing) break;
    if (plain === 0) return null;
    left -= Math.min(plain, left - 1);
  }
  cards += 1;
  // Then spread the rows so the last card is not left with one row and the Total.
  const pages: number[] = [];
  let left = count;
  for (let page = 0; page < cards; page++) {
    const { plain, finishing } = capacities(page);
    const isLast = page === cards - 1;
    const take = isLast ? left : Math.min(plain, Math.ceil(left / (cards - page)), left - 1);
    if (isLast && take > finishing) return null;
    pages.push(take);
    left -= take;
  }
  return pages;
}

/** Lays out a table of `rows` over as few cards as possible; [] when there are no service rows. */
export function layoutTable(input: TableInput, env: FormatEnv, fonts: FontSet): TablePage[] {
  if (input.totals.length === 0 || input.rows.every((row) => row.kind !== 'service')) return [];
  let sizing: Sizing | null = null;
  let pages: number[] | null = null;
  for (const compact of [false, true]) {
    for (const size of ROW_SIZES) {
      const candidate = sizeAt(size, input, env, fonts, compact);
      if (!candidate) continue;
      const split = paginate(input.rows.length, rowHeightOf(size), input);
      if (!split) continue;
      // Prefer the largest size that fits one card; else the smallest size (fewest cards).
      if (!sizing || split.length < pages!.length || (split.length === pages!.length && size > sizing.size)) {
        sizing = candidate;
        pages = split;
      }
      if (split.length === 1) break;
    }
    if (sizing) break;
  }
  if (!sizing || !pages) {
    // Wider than any readable size: the smallest size, and the check after rendering reports the overflow.
    sizing = sizeAt(ROW_SIZES[ROW_SIZES.length - 1]!, input, env, fonts, true) ?? fallbackSizing(input, env, fonts);
    pages = paginate(input.rows.length, rowHeightOf(sizing.size), input) ?? [input.rows.length];
  }
  return buildPages(input, sizing, pages, env, fonts);
}

function fallbackSizing(input: TableInput, env: FormatEnv, fonts: FontSet): Sizing {
  const size = ROW_SIZES[ROW_SIZES.length - 1]!;
  const labels = input.rows.map((row) => rowLabel(row, env, true));
  return {
    size,
    headerSize: MIN_TEXT_PX,
    labels,
    headers: input.totals.map((t) => t.shortName),
    headerLabel: input.headerLabels[input.headerLabels.length - 1]!,
    gap: COLUMN_GAPS[COLUMN_GAPS.length - 1]!,
    columnWidths: input.totals.map((t) => fonts.measure(formatNumber(t.count, env), size, 800)),
    labelWidth: Math.max(...labels.map((l) => fonts.measure(l, size, 400))),
  };
}

function buildPages(input: TableInput, sizing: Sizing, split: number[], env: FormatEnv, fonts: FontSet): TablePage[] {
  const { size, headerSize } = sizing;
  const rowHeight = rowHeightOf(size);
  const noteSize = Math.max(MIN_TEXT_PX, size - 6);
  // Right edges of the count columns, laid from the right edge of the panel text.
  const rights: number[] = [];
  let right: number = PANEL.textRight;
  for (let i = sizing.columnWidths.length - 1; i >= 0; i--) {
    rights[i] = Math.round(right);
    right -= sizing.columnWidths[i]! + sizing.gap;
  }
  const noteLeft = PANEL.textLeft + sizing.labelWidth + sizing.gap;
  const measureNote = (text: string): number => fonts.measure(text, noteSize, 600);
  const pages: TablePage[] = [];
  let offset = 0;
  for (const [index, count] of split.entries()) {
    const last = index === split.length - 1;
    const top = index === 0 ? input.region.firstTop : input.region.nextTop;
    const ruleY = top + 74;
    const rows: LaidRow[] = input.rows.slice(offset, offset + count).map((row, i) => {
      const bandTop = ruleY + 6 + i * rowHeight;
      const y = Math.round(bandTop + rowHeight / 2 + size * 0.36);
      const label = sizing.labels[offset + i]!;
      if (row.kind === 'service') {
        const cells = row.cells.map((cell, c) => ({ x: rights[c]!, text: cell.count === null ? '–' : formatNumber(cell.count, env) }));
        return { kind: row.kind, y, label, cells, note: null, band: null };
      }
      const raw = row.kind === 'closed' ? NOTE_WORDS.closed(row.reason, row.closedKind) : NOTE_WORDS[row.kind];
      const note = ellipsize(raw, PANEL.textRight - noteLeft, measureNote);
      const band = row.kind === 'closed' ? { y: bandTop + 2, height: rowHeight - 4 } : null;
      return { kind: row.kind, y, label, cells: [], note, band };
    });
    offset += count;
    let bottom = ruleY + 6 + count * rowHeight;
    let total: TablePage['total'] = null;
    if (last) {
      const band = { y: bottom + 6, height: rowHeight + 10 };
      total = {
        y: Math.round(band.y + band.height / 2 + size * 0.36),
        band,
        label: 'Total',
        cells: input.totals.map((t, c) => ({ x: rights[c]!, text: formatNumber(t.count, env) })),
      };
      bottom = band.y + band.height;
    }
    const panelHeight = bottom + PANEL_PAD - top;
    pages.push({
      panel: { y: top, height: panelHeight },
      size: { row: size, header: headerSize, note: noteSize, total: size },
      header: {
        y: top + 52,
        label: sizing.headerLabel,
        columns: sizing.headers.map((text, c) => ({ x: rights[c]!, text })),
      },
      ruleY,
      labelX: PANEL.textLeft,
      noteX: PANEL.textRight,
      rows,
      total,
      below: top + panelHeight,
    });
  }
  return pages;
}

/** Height a note of `lines` lines takes under the table. */
const noteBlock = (note: string | null): number => (note ? 100 : 0);

/**
 * The `card` value of every table card of a post: one per page of the table,
 * at least one. Pure apart from font measurement.
 */
export function cardViews(context: RenderContext, fonts: FontSet): CardView[] {
  const env = { locale: context.office.locale, zone: context.office.timezone };
  let tables: TablePage[] = [];
  if (context.digest) {
    tables = layoutTable(
      {
        rows: context.digest.rows,
        totals: context.digest.totals,
        headerLabels: ['Hari'],
        region: REGIONS.digest,
        noteHeight: context.digest.openings.length > 0 ? 130 : 0,
      },
      env,
      fonts,
    );
  } else if (context.release && !context.changes && context.release.status === 'open') {
    tables = layoutTable(
      {
        rows: context.release.rows,
        totals: context.release.totals,
        headerLabels: ['Tanggal layanan', 'Tanggal'],
        region: REGIONS.release,
        noteHeight: noteBlock(context.release.note),
      },
      env,
      fonts,
    );
  }
  if (tables.length === 0) return [{ page: 1, pages: 1, first: true, last: true, table: null }];
  return tables.map((table, i) => ({ page: i + 1, pages: tables.length, first: i === 0, last: i === tables.length - 1, table }));
}
