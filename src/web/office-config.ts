/**
 * The config a console page shows for one office: its current revision in the
 * database (the one truth every instance follows), loaded as `check` loads it.
 * Loading costs ~70 ms per office, so it is cached by revision id: a page view
 * after an edit loads the new revision once, every other view reuses it.
 */
import { checkRevisionFiles } from '../app/revision-files';
import { templatesFor } from '../app/load-all';
import type { Problem } from '../errors';
import type { ConsoleOffice } from '../console/office-input';
import { getCurrentRevision, type RevisionFiles } from '../store/config-revisions';
import type { Store } from '../store/open';

/** Where revisions without their own templates find them (the `run`/`serve` --config and --templates). */
export interface ConfigSource {
  configDir: string;
  templatesDir?: string;
}

export type OfficeConfigLoad =
  | { status: 'loaded'; revisionId: number; files: RevisionFiles; office: ConsoleOffice }
  /** No revision yet (a bot that never started on this database), or its current one no longer loads. */
  | { status: 'missing' }
  | { status: 'broken'; revisionId: number; problems: Problem[] };

export type OfficeConfigLoader = (officeId: string) => Promise<OfficeConfigLoad>;

const KEEP = 256;

export function createOfficeConfigLoader(store: Store, source: ConfigSource, now: () => Date): OfficeConfigLoader {
  const cache = new Map<string, OfficeConfigLoad & { revisionId: number }>();
  return async (officeId) => {
    const revision = await getCurrentRevision(store, officeId);
    if (!revision) return { status: 'missing' };
    const cached = cache.get(officeId);
    if (cached && cached.revisionId === revision.id) return cached;
    const checked = checkRevisionFiles(revision.files, { sourceDir: source.configDir, now: now(), officeId, ...(source.templatesDir ? { templatesDir: source.templatesDir } : {}) });
    const load: OfficeConfigLoad & { revisionId: number } = checked.loaded
      ? { status: 'loaded', revisionId: revision.id, files: revision.files, office: { config: checked.loaded.config, officeId, templates: templatesFor(checked.loaded, officeId) } }
      : { status: 'broken', revisionId: revision.id, problems: checked.problems };
    cache.delete(officeId);
    cache.set(officeId, load);
    while (cache.size > KEEP) cache.delete(cache.keys().next().value!);
    return load;
  };
}
