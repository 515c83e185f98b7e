import crypto from 'node:crypto';

/** hex SHA-256 of a card image: names one rendering of it (RenderedMedia.sha256, the `media` table). */
export function sha256Hex(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
