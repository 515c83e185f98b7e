/**
 * JSON Schemas of herald.yaml and calendar.yaml for editors (VS Code's YAML
 * extension reads the `# yaml-language-server: $schema=…` line at the top of
 * each file): autocompletion, descriptions on hover, typos flagged as staff type.
 *
 * Generated from the same zod schemas the loader uses, so they cannot disagree;
 * a test compares the committed files with this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { calendarSchema, heraldSchema } from './schema';

/** File name → JSON text (two-space indent, trailing newline). */
export function generateJsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType, id: string, title: string): string => {
    // Draft 7 is what yaml-language-server and most editors support best.
    const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
    return `${JSON.stringify({ $id: id, title, ...json }, null, 2)}\n`;
  };
  return {
    'herald.schema.json': render(heraldSchema, 'herald.schema.json', 'quota-herald office configuration (herald.yaml)'),
    'calendar.schema.json': render(calendarSchema, 'calendar.schema.json', 'quota-herald quota calendar (calendar.yaml)'),
  };
}

/** Writes the schemas into `outDir` (created if needed); returns the files written. */
export function writeJsonSchemas(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  return Object.entries(generateJsonSchemas()).map(([name, text]) => {
    const file = path.join(outDir, name);
    writeFileSync(file, text);
    return file;
  });
}
