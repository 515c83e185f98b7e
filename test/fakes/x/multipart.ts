/**
 * A small multipart/form-data parser for the fake servers. Written out because
 * the platform parser (`Response.formData()`) turns parts without a filename
 * into strings, and twitter-api-v2 sends the media chunk exactly so: binary
 * bytes, no filename.
 */

export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/** Parts of a multipart body; throws on a body that does not follow the boundary it declares. */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw new Error('multipart boundary not found');
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next < 0) throw new Error('multipart body is not terminated');
    // A part is CRLF headers CRLF CRLF data CRLF, between two delimiters.
    const raw = body.subarray(afterDelimiter + 2, next - 2);
    const split = raw.indexOf('\r\n\r\n');
    if (split < 0) throw new Error('multipart part without headers');
    const headers = raw.subarray(0, split).toString('utf8').split('\r\n');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h));
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1];
    if (name === undefined) throw new Error('multipart part without a name');
    parts.push({
      name,
      filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1] ?? null,
      contentType: type ? type.replace(/^content-type:\s*/i, '') : null,
      data: Buffer.from(raw.subarray(split + 4)),
    });
    start = next;
  }
}
