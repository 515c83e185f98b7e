/**
 * Checking a revision's files (app/revision-files.ts) happens in a private
 * temporary directory; what staff read must name the revision's own files,
 * never that directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkRevisionFiles } from '../../src/app/revision-files';
import { REPO_ROOT } from '../support/cli';

const CONFIG = path.join(REPO_ROOT, 'config');

describe('app/revision-files: checkRevisionFiles', () => {
  it('a problem about a missing CSV names the revision, not the temporary directory it was checked in', () => {
    const files = {
      'herald.yaml': fs.readFileSync(path.join(CONFIG, 'herald.yaml'), 'utf8'),
      // The sample imports kuota.csv; this revision lacks it.
      'calendar.yaml': fs.readFileSync(path.join(CONFIG, 'calendar.yaml'), 'utf8'),
    };
    const checked = checkRevisionFiles(files, { sourceDir: CONFIG, now: new Date('2026-12-02T00:00:00Z') });
    const missing = checked.problems.find((p) => p.message.includes('kuota.csv'));
    expect(missing).toMatchObject({ severity: 'error', location: { file: 'calendar.yaml' } });
    expect(missing!.message).toContain('not found in the revision');
    for (const problem of checked.problems) expect(`${problem.location?.file ?? ''} ${problem.message}`).not.toContain('herald-revision-');
  });
});
