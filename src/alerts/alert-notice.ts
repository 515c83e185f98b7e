/**
 * What an alert sink sends: one notice with a subject and a plain-text body,
 * built from an alert the same way for every sink, so e-mail and Telegram
 * say the same thing. Times are the office's wall clock with its zone
 * (`Jum 4 Des 14.00 WIB`), as staff read them.
 */
import { formatStaffTime, localizeInstants } from '../render/helpers/staff-time';

/** One message for staff, ready for any sink. */
export interface AlertNotice {
  /** Alert kind (`expired`, `auth`, …) or `summary` for the rate-limit summary. */
  kind: string;
  /** The post the alert is about, if any: part of the dedupe key. */
  postId: string | null;
  /** The same post as log fields (logger.ts `postLogger`): the delivery's log lines carry them. */
  postFields?: { office?: string; post: string; channel: string };
  /** What happened and what to do, as the alert said it. */
  message: string;
  /** `[quota-herald] <kind>: <short>`. */
  subject: string;
  /** Office name, what happened, what to do, the post, the time. */
  text: string;
}

/** Who an alert is for: the office's name, and the zone its staff read times in. */
export interface OfficeLabel {
  name: string;
  /** IANA zone, e.g. `Asia/Jakarta`. */
  zone: string;
}

/** The facts of an alert a notice needs (a subset of `Alert` and its post). */
export interface AlertFacts {
  kind: string;
  message: string;
  post?: { id: string; officeId?: string; channelId: string; dueAt: Date; deadline: Date | null } | undefined;
}

const SHORT_MAX = 70;

/** Builds the notice for one alert of `office`, raised at `at`. */
export function composeNotice(alert: AlertFacts, office: OfficeLabel, at: Date): AlertNotice {
  const time = (instant: Date): string => formatStaffTime(instant, office.zone, at);
  // Messages are written with ISO times where the zone is unknown (scheduler, drivers).
  const message = localizeInstants(alert.message, office.zone, at);
  const lines = [`${office.name}: ${alert.kind}`, '', message, ''];
  if (alert.post) {
    const deadline = alert.post.deadline ? `, deadline ${time(alert.post.deadline)}` : '';
    lines.push(`Post: ${alert.post.id} on ${alert.post.channelId}, due ${time(alert.post.dueAt)}${deadline}`);
  }
  lines.push(`Raised: ${time(at)}`, 'Everything that needs attention: run `quota-herald status`.');
  return {
    kind: alert.kind,
    postId: alert.post?.id ?? null,
    ...(alert.post ? { postFields: { ...(alert.post.officeId === undefined ? {} : { office: alert.post.officeId }), post: alert.post.id, channel: alert.post.channelId } } : {}),
    message: alert.message,
    subject: `[quota-herald] ${alert.kind}: ${shorten(message)}`,
    text: lines.join('\n'),
  };
}

/** The one message that stands for alerts the rate limit held back. */
export function composeSummary(count: number, office: OfficeLabel, at: Date): AlertNotice {
  const message = `${count} more alert${count === 1 ? '' : 's'}, see \`quota-herald status\``;
  return {
    kind: 'summary',
    postId: null,
    message,
    subject: `[quota-herald] summary: ${message}`,
    text: [`${office.name}: summary`, '', `${message} (held back so staff are not flooded).`, '', `Raised: ${formatStaffTime(at, office.zone, at)}`].join('\n'),
  };
}

/** First line of `message`, cut to fit a subject line. */
function shorten(message: string): string {
  const first = (message.split('\n')[0] ?? '').trim();
  if (first.length <= SHORT_MAX) return first;
  const cut = first.slice(0, SHORT_MAX - 1);
  // End on a whole word when one is near: a subject cut mid-word reads like a typo.
  const space = cut.lastIndexOf(' ');
  return `${(space > SHORT_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
