/** `settings.web` with its defaults (config/normalize-herald.ts `DEFAULT_WEB`). */
import { DEFAULT_WEB } from '../config/normalize-herald';
import type { Settings, WebSettings } from '../config/types';

export function resolveWebSettings(settings: Pick<Settings, 'web'>): WebSettings {
  return settings.web ?? DEFAULT_WEB;
}
