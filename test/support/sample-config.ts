/** Edits of a copy of the sample config (config/) that tests share. */
import fs from 'node:fs';

/**
 * settings.web.publicBaseUrl of the sample config (config/herald.yaml): its
 * cards' QR codes, the feeds' links and their Atom ids use it.
 */
export const SAMPLE_PUBLIC_BASE_URL = 'https://kuota.pontianak.example.go.id';

/**
 * Sets `settings.web.port` in a copy of the sample herald.yaml. The sample
 * already has a `web:` block (its publicBaseUrl), so a second `web:` key
 * appended at the end would be a duplicate key: add the port to that block.
 */
export function setSampleWebPort(heraldFile: string, port: number): void {
  const text = fs.readFileSync(heraldFile, 'utf8');
  if (!/^ {2}web:\n/m.test(text)) throw new Error(`${heraldFile} has no "  web:" block under settings to add the port to`);
  fs.writeFileSync(heraldFile, text.replace(/^ {2}web:\n/m, `  web:\n    port: ${port}\n`));
}
