/**
 * Line breaking for SVG cards. SVG has no text flow, so long office names and
 * notes are broken here with the real font metrics (fontkit), the same font
 * librsvg will draw with.
 */
import type { FontSet } from '../fonts';

export interface WrapOptions {
  maxWidthPx: number;
  fontSizePx: number;
  weight?: number;
  /** Cut after this many lines, ending the last one with "…". */
  maxLines?: number;
}

/** Greedy word wrap; a word wider than a line is broken between characters. */
export function wrapText(text: string, options: WrapOptions, fonts: FontSet): string[] {
  const { maxWidthPx, fontSizePx, weight = 400 } = options;
  const fits = (line: string): boolean => fonts.measure(line, fontSizePx, weight) <= maxWidthPx;
  const lines: string[] = [];
  for (const paragraph of String(text).split(/\r?\n/)) {
    const words = paragraph.split(/\s+/).filter((word) => word.length > 0);
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      // A single word that is too long on its own: break it by characters.
      let rest = word;
      while (!fits(rest)) {
        const chars = Array.from(rest);
        let cut = chars.length - 1;
        while (cut > 1 && !fits(chars.slice(0, cut).join(''))) cut--;
        lines.push(chars.slice(0, cut).join(''));
        rest = chars.slice(cut).join('');
      }
      line = rest;
    }
    if (line) lines.push(line);
  }
  const max = options.maxLines;
  if (max !== undefined && max > 0 && lines.length > max) {
    const kept = lines.slice(0, max);
    let last = `${kept[max - 1]}…`;
    while (!fits(last) && last.length > 1) last = `${last.slice(0, -2).trimEnd()}…`;
    kept[max - 1] = last;
    return kept;
  }
  return lines;
}
