/**
 * `textWidth text fontSizePx [weight=700] [letterSpacing=2]`: the width of
 * `text` as the card font draws it, so a card can size a badge or a box to its
 * text instead of a guessed number.
 */
import type { FontSet } from '../fonts';

export function textWidth(text: string, fontSizePx: number, weight: number, letterSpacing: number, fonts: FontSet): number {
  const chars = [...text].length;
  return Math.ceil(fonts.measure(text, fontSizePx, weight) + letterSpacing * chars);
}
