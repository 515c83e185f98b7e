/**
 * Watches the config and templates directories and calls back once edits
 * settle. Editors save in bursts (temp file, rename, chmod): without the
 * debounce one save would re-plan three times.
 *
 * chokidar watches the DIRECTORIES, not the inodes of the files in them: Node
 * 20's `fs.watch({ recursive: true })` on Linux is a JavaScript emulation that
 * follows inodes, so after one `sed -i` or rename-save it watched a file that
 * no longer existed and every later edit went unnoticed. Any event at all is
 * reported; the caller compares content hashes (config-content.ts), so a
 * spurious event costs one cheap re-read, never a needless re-plan.
 */
import { watch } from 'chokidar';
import type { Logger } from '../logger';

export interface ConfigWatcher {
  /** Resolves once the initial scan is done: from then on every edit is seen. */
  ready: Promise<void>;
  close(): Promise<void>;
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
  const watcher = watch([...new Set(dirs)], {
    ignoreInitial: true,
    // Deep enough for offices/ID/templates/partials and a ConfigMap's `..data/` directory.
    depth: 5,
    // A ConfigMap's files are symlinks into `..data`: changes behind them count.
    followSymlinks: true,
  });
  watcher.on('all', (event, file) => {
    options.logger.debug({ event, file }, 'config directory changed');
    trigger();
  });
  watcher.on('error', (error) => options.logger.warn({ err: error }, 'config watcher error; the periodic re-plan still re-reads the files'));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
