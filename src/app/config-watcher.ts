/**
 * Watches the config and templates directories and calls back once edits
 * settle. Editors save in bursts (temp file, rename, chmod): without the
 * debounce one save would re-plan three times.
 */
import fs from 'node:fs';
import type { Logger } from '../logger';

export interface ConfigWatcher {
  close(): void;
}

export function watchConfig(dirs: string[], onChange: () => void, options: { logger: Logger; debounceMs?: number }): ConfigWatcher {
  const debounceMs = options.debounceMs ?? 300;
  let timer: NodeJS.Timeout | null = null;
  const trigger = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, debounceMs);
  };
  const watchers = [...new Set(dirs)].filter((dir) => fs.existsSync(dir)).map((dir) => {
    const watcher = fs.watch(dir, { recursive: true }, trigger);
    watcher.on('error', (error) => options.logger.warn({ err: error, dir }, 'config watcher error'));
    return watcher;
  });
  return {
    close() {
      if (timer) clearTimeout(timer);
      watchers.forEach((watcher) => watcher.close());
    },
  };
}
