/**
 * The QR code every card carries: the address of the card's archive entry
 * (`verifyUrl`), drawn as one SVG path inside the card, so librsvg paints it
 * like any other shape and no image file is linked.
 *
 * Sizes are measured, not guessed (test/render/verify-qr.test.ts takes a
 * "phone photo" of the card: 600 px wide, blurred, JPEG quality 50, turned
 * 3°, and decodes it with jsQR): 5 px per module decodes every time, 4 px
 * failed about half the photos, and a module that is not a whole number of
 * pixels smears its edges and fails more often than the next smaller whole
 * size. So modules are whole pixels and the box is 5 × (modules + quiet zone).
 */
import QRCode from 'qrcode';

/** The light margin a reader needs around the code, in modules (ISO/IEC 18004). */
export const QR_QUIET_MODULES = 4;
/** Pixels per module on a 1080 px card (see above). */
export const QR_MODULE_PX = 5;
/**
 * M restores 15% of the code: a crease, a sticker or a logo a broker pastes
 * on. Q (25%) would push a 50-character address from version 4 to 5 and
 * the box past its slot.
 */
export const QR_ERROR_CORRECTION = 'M';
/**
 * The largest QR version whose box fits the card's slot at QR_MODULE_PX
 * (33 modules + quiet zone = 41 → 205 px): a verification address of up to 62
 * bytes, so a publicBaseUrl of up to 51 (`/v/` and the 8-character code follow).
 */
export const QR_MAX_VERSION = 4;
/** Bytes a version 4 code holds at level M (ISO/IEC 18004, table 7): the longest verification address. */
export const QR_MAX_BYTES = 62;

/** Side of the box (quiet zone included) of a QR code of `version` at QR_MODULE_PX. */
export function qrBoxSize(version: number): number {
  return QR_MODULE_PX * (17 + 4 * version + 2 * QR_QUIET_MODULES);
}

/** A QR code as an SVG path in module units, the quiet zone included. */
export interface QrDrawing {
  version: number;
  /** Modules across, quiet zone included (the path's viewBox is modules × modules). */
  modules: number;
  /** Dark modules: one `M x y h w v 1 h -w z` per horizontal run. */
  path: string;
}

/** Drawings by text: the X and the Instagram post of an announcement draw the same code. */
const drawn = new Map<string, QrDrawing>();
const MAX_DRAWN = 64;

/** The QR code of `text` (error correction M, mode chosen by the library). */
export function drawQr(text: string): QrDrawing {
  let drawing = drawn.get(text);
  if (drawing) return drawing;
  const qr = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const size = qr.modules.size;
  let path = '';
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < size && qr.modules.get(row, end)) end++;
      path += `M${col + QR_QUIET_MODULES} ${row + QR_QUIET_MODULES}h${end - col}v1h-${end - col}z`;
      col = end;
    }
  }
  drawing = { version: qr.version, modules: size + 2 * QR_QUIET_MODULES, path };
  drawn.set(text, drawing);
  if (drawn.size > MAX_DRAWN) drawn.delete(drawn.keys().next().value!);
  return drawing;
}

/**
 * The version the address needs at most, whatever the code: byte mode for
 * all of it (the library may pack the code's capitals tighter, never looser).
 */
export function worstCaseQrVersion(text: string): number {
  return QRCode.create([{ data: Buffer.from(text), mode: 'byte' }], { errorCorrectionLevel: QR_ERROR_CORRECTION }).version;
}
