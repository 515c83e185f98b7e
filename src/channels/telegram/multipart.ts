/**
 * A multipart/form-data body built by hand. Why not FormData: the fetch
 * spec's FormData serialisation turns every "\n" in a field into "\r\n"
 * (HTML form semantics), so a caption would reach Telegram with two UTF-16
 * units per line break and no longer be the caption `check` counted (a
 * caption of 1,000 units with 30 line breaks would be refused as over 1,024).
 * Here every byte of a field is sent as it is.
 */
import { randomBytes } from 'node:crypto';

export interface MultipartFile {
  name: string;
  fileName: string;
  mime: string;
  bytes: Buffer;
}

export function encodeMultipart(fields: Record<string, string>, files: MultipartFile[]): { body: Buffer; contentType: string } {
  const boundary = `----quota-herald-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n`, 'utf8'), Buffer.from(value, 'utf8'), Buffer.from('\r\n'));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.name)}"; filename="${quoted(file.fileName)}"\r\nContent-Type: ${file.mime}\r\n\r\n`, 'utf8'),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Names are ours (chat_id, photo, card0); escaped anyway as the spec says. */
function quoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
