/** The office's current revision as the previews' source, with the config and templates folders the server was started with. */
import { currentOfficeSource, type OfficeFilesSource } from '../../../console/preview';
import type { WebContext } from '../../console-page';

export type RevisionSource = OfficeFilesSource & { revisionId: number };

/** Undefined when the office has no revision yet. */
export async function officeSource(web: WebContext, officeId: string): Promise<RevisionSource | undefined> {
  const where = { sourceDir: web.source.configDir, ...(web.source.templatesDir === undefined ? {} : { templatesDir: web.source.templatesDir }) };
  const source = await currentOfficeSource(web.store, officeId, where);
  return source?.revisionId === undefined ? undefined : { ...source, revisionId: source.revisionId };
}
