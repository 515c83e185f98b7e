/**
 * `verify` in the render context: the post's verification code as printed,
 * the address it is checked at, and on cards where its QR code goes. The code
 * comes from the post (verify-code.ts), never from the channel, so the X and
 * the Instagram post of an announcement show the same code and the same card.
 */
import { FOOT_TEXT, QR_SLOT } from './card-layout';
import type { FontSet } from './fonts';
import { formatVerifyCode, verifyCode, verifyUrl, VERIFY_CODE_LENGTH, type VerifyCodeSource } from './verify-code';
import { drawQr, QR_MAX_BYTES, QR_MAX_VERSION, QR_MODULE_PX, worstCaseQrVersion } from './verify-qr';

export interface VerifyView {
  /** `K7M2Q9XD`: as stored, in URLs. */
  code: string;
  /** `K7M2-Q9XD`: as printed ("Kode cek: K7M2-Q9XD"). */
  codeLabel: string;
  /** `{publicBaseUrl}/v/{code}`, what the QR code holds; null without settings.web.publicBaseUrl. */
  url: string | null;
  /** The public pages' address as printed ("cek di kuota.example.go.id"); null without publicBaseUrl. */
  address: string | null;
}

/** Where a card draws its QR code: a white box (quiet zone included) and the dark modules as one path. */
export interface VerifyQrView {
  x: number;
  y: number;
  /** Side of the white box in px. */
  size: number;
  /** Pixels per module: the path is in modules, drawn with `scale(module)`. */
  module: number;
  /** Modules across, quiet zone included. */
  modules: number;
  path: string;
}

/** `verify` of a card template: also its QR code, null when there is no address to lead to. */
export interface CardVerifyView extends VerifyView {
  qr: VerifyQrView | null;
}

/** Font size of the "cek di ADDRESS" line of the shipped footer (partials/verify-qr.hbs). */
export const ADDRESS_FONT_PX = 22;

/** `https://kuota.example.go.id/` → `kuota.example.go.id`: what a person types. */
export function printedAddress(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
}

export function verifyView(post: VerifyCodeSource, publicBaseUrl: string | null): VerifyView {
  const code = verifyCode(post);
  return {
    code,
    codeLabel: formatVerifyCode(code),
    url: publicBaseUrl ? verifyUrl(publicBaseUrl, code) : null,
    address: publicBaseUrl ? printedAddress(publicBaseUrl) : null,
  };
}

/** The card's `verify`: the QR code of `view.url` placed in the footer's QR slot (card-layout.ts). */
export function cardVerifyView(view: VerifyView): CardVerifyView {
  if (!view.url) return { ...view, qr: null };
  const qr = drawQr(view.url);
  // Only an address over the limit (verifyAddressProblem) gets smaller modules, to stay in the slot.
  const module = Math.max(1, Math.min(QR_MODULE_PX, Math.floor(QR_SLOT.size / qr.modules)));
  const size = module * qr.modules;
  return { ...view, qr: { x: QR_SLOT.right - size, y: QR_SLOT.bottom - size, size, module, modules: qr.modules, path: qr.path } };
}

/**
 * Why `publicBaseUrl` cannot go on a card, or null: the QR code would be too
 * dense to read off a phone photo, or the printed address wider than the
 * footer. Checked when the config loads, so no card is ever laid out with it.
 */
export function verifyAddressProblem(publicBaseUrl: string, fonts: FontSet): string | null {
  const longest = verifyUrl(publicBaseUrl, 'W'.repeat(VERIFY_CODE_LENGTH));
  if (worstCaseQrVersion(longest) > QR_MAX_VERSION) {
    const most = QR_MAX_BYTES - (Buffer.byteLength(longest) - Buffer.byteLength(publicBaseUrl));
    return `\`${publicBaseUrl}\` is too long for the QR code on the cards (${Buffer.byteLength(publicBaseUrl)} characters, at most ${most}): a longer address makes the code too dense to scan from a photo of the card. Use a shorter host name or path.`;
  }
  const printed = `cek di ${printedAddress(publicBaseUrl)}`;
  const width = fonts.measure(printed, ADDRESS_FONT_PX);
  const room = FOOT_TEXT.right - FOOT_TEXT.x;
  if (width > room) {
    return `\`${publicBaseUrl}\` is too wide to print on the cards ("${printed}" is ${Math.round(width)} px at ${ADDRESS_FONT_PX} px, the footer has ${room} px). Use a shorter host name or path.`;
  }
  return null;
}
