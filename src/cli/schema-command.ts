/** `schema --out DIR`: JSON Schema for editors, so staff get autocompletion and red squiggles. */
import { writeJsonSchemas } from '../config/json-schema';
import type { CliContext } from './context';
import { write } from './context';

export async function schemaCommand(ctx: CliContext, options: { out: string }): Promise<number> {
  const files = writeJsonSchemas(options.out);
  write(ctx.stdout, `wrote ${Array.isArray(files) ? files.join(', ') : options.out}`);
  return 0;
}
