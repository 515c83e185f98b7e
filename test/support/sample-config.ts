/** Edits of a copy of the sample config (config/) that tests share. */
import fs from 'node:fs';

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
