/**
 * How to book, from an office's `info` (public/types.ts PublicOffice): the
 * booking channel, the website as a link, the address, the phone as a `tel:`
 * link. Config writes the website either way (`pontianak.imigrasi.go.id` or
 * `https://…`); only what reads as a web address becomes a link.
 */
import type { PublicOffice } from '../../public/types';

export interface BookingView {
  channel: string | null;
  website: { href: string; text: string } | null;
  address: string | null;
  phone: { href: string; text: string } | null;
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?(\/\S*)?$/i;

export function websiteLink(website: string | null): { href: string; text: string } | null {
  if (!website) return null;
  const text = website.trim();
  const candidate = /^https?:\/\//i.test(text) ? text : HOST.test(text) ? `https://${text}` : null;
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? { href: url.toString(), text } : null;
  } catch {
    return null;
  }
}

/** `tel:+62561734081` from `(0561) 734081`, `+62 561 734 081`: digits and a leading plus only. */
export function phoneLink(phone: string | null): { href: string; text: string } | null {
  if (!phone) return null;
  const digits = phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');
  return digits.replace('+', '').length >= 5 ? { href: `tel:${digits}`, text: phone } : null;
}

export function bookingView(office: PublicOffice): BookingView {
  const phone = phoneLink(office.phone);
  return {
    channel: office.bookingChannel,
    website: websiteLink(office.website),
    address: office.address,
    phone: phone ?? (office.phone ? { href: '', text: office.phone } : null),
  };
}
