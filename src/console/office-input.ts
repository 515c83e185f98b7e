/** Which office a console page is about, and the config it runs. */
import type { Config, OfficeConfig } from '../config/types';
import type { TemplateSet } from '../render/types';

export interface ConsoleOffice {
  /** The loaded config the office runs (its current revision's, as `Loaded.config`): other offices in it are ignored. */
  config: Config;
  officeId: string;
  /** The office's templates (`templatesFor(loaded, officeId)`): lets the X cost look at captions not rendered yet. */
  templates?: TemplateSet;
}

export function officeOf(input: ConsoleOffice): OfficeConfig {
  const office = input.config.offices.find((each) => each.id === input.officeId);
  if (!office) throw new Error(`console: office "${input.officeId}" is not in the config given (offices: ${input.config.offices.map((each) => each.id).join(', ') || 'none'})`);
  return office;
}
