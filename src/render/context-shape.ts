/**
 * The shape of the render context (context.ts) per post kind, for checking
 * templates at load time: a template for a digest may not use `release`, an
 * announcement may not use `digest`, and a typo is caught before any post is due.
 *
 * Keep in step with `RenderContext` (a test renders every field through this
 * shape) and with docs/templates.md.
 */
import type { PostKind } from '../plan/types';

export type Shape =
  | { t: 'scalar'; doc?: string }
  | { t: 'object'; fields: Record<string, Shape> }
  | { t: 'list'; of: Shape };

const scalar: Shape = { t: 'scalar' };
const obj = (fields: Record<string, Shape>): Shape => ({ t: 'object', fields });
const list = (of: Shape): Shape => ({ t: 'list', of });

const quota = obj({ serviceId: scalar, serviceName: scalar, shortName: scalar, count: scalar });

const cell = obj({ serviceId: scalar, shortName: scalar, count: scalar });

const rows = list(
  obj({
    kind: scalar,
    from: scalar,
    to: scalar,
    dayCount: scalar,
    single: scalar,
    quotas: list(quota),
    cells: list(cell),
    total: scalar,
    rowTotal: scalar,
    reason: scalar,
    closedKind: scalar,
  }),
);

const release = obj({
  id: scalar,
  opensAt: scalar,
  opensDate: scalar,
  opensTime: scalar,
  closesAt: scalar,
  note: scalar,
  status: scalar,
  cancelled: scalar,
  cancelReason: scalar,
  opened: scalar,
  days: list(obj({ date: scalar, quotas: list(quota), cells: list(cell), total: scalar })),
  totals: list(quota),
  grandTotal: scalar,
  firstDay: scalar,
  lastDay: scalar,
  removedDays: list(obj({ date: scalar, reason: scalar, kind: scalar })),
  rows,
});

const digestDay = obj({
  date: scalar,
  weekend: scalar,
  closed: scalar,
  closedReason: scalar,
  quotas: list(quota),
  cells: list(cell),
  total: scalar,
});

const digest = obj({
  from: scalar,
  to: scalar,
  days: list(digestDay),
  serviceDays: list(digestDay),
  openings: list(release),
  totals: list(quota),
  grandTotal: scalar,
  rows,
  when: scalar,
  nextOpening: release,
});

const timing = obj({ kind: scalar, minutesBefore: scalar, daysBefore: scalar, atOpening: scalar });

const laidCell = obj({ x: scalar, text: scalar });
const band = obj({ y: scalar, height: scalar });

/** `card`: the layout of a card template (card-layout.ts); captions and alt text do not get it. */
const card = obj({
  page: scalar,
  pages: scalar,
  first: scalar,
  last: scalar,
  table: obj({
    panel: band,
    size: obj({ row: scalar, header: scalar, note: scalar, total: scalar }),
    header: obj({ y: scalar, label: scalar, columns: list(laidCell) }),
    ruleY: scalar,
    labelX: scalar,
    noteX: scalar,
    rows: list(obj({ kind: scalar, y: scalar, label: scalar, cells: list(laidCell), note: scalar, band })),
    total: obj({ y: scalar, band, label: scalar, cells: list(laidCell) }),
    below: scalar,
  }),
});

const verifyFields = { code: scalar, codeLabel: scalar, url: scalar, address: scalar };
/** Card templates also get where the QR code goes (verify-view.ts). */
const cardVerify = obj({
  ...verifyFields,
  qr: obj({ x: scalar, y: scalar, size: scalar, module: scalar, modules: scalar, path: scalar }),
});

const common: Record<string, Shape> = {
  office: obj({
    id: scalar,
    name: scalar,
    shortName: scalar,
    timezone: scalar,
    locale: scalar,
    info: obj({ bookingChannel: scalar, website: scalar, address: scalar, phone: scalar }),
    hashtags: list(scalar),
  }),
  services: list(obj({ id: scalar, name: scalar, shortName: scalar })),
  post: obj({ kind: scalar, dueAt: scalar, channelId: scalar, template: scalar }),
  verify: obj(verifyFields),
};

/**
 * What a template of each kind may read. `timing` exists for announcements;
 * `previous` (what the published post said) for corrections.
 */
export const CONTEXT_SHAPES: Record<PostKind, Shape> = {
  announcement: obj({ ...common, release, timing }),
  digest: obj({ ...common, digest }),
  correction: obj({
    ...common,
    release,
    previous: release,
    changes: obj({
      counts: list(obj({ date: scalar, serviceId: scalar, serviceName: scalar, shortName: scalar, before: scalar, after: scalar })),
      opensAtChanged: scalar,
    }),
  }),
  cancellation: obj({ ...common, release }),
};

/** Card templates (cards/*.svg.hbs) also get `card`, their layout, and `verify.qr`, their QR code. */
export const CARD_CONTEXT_SHAPES: Record<PostKind, Shape> = Object.fromEntries(
  Object.entries(CONTEXT_SHAPES).map(([kind, shape]) => [kind, obj({ ...(shape as { fields: Record<string, Shape> }).fields, verify: cardVerify, card })]),
) as Record<PostKind, Shape>;
