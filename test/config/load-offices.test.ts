import fs from 'node:fs';
import path from 'node:path';
import { loadDeployment, templatesFor } from '../../src/app/load-all';
import { loadOfficeConfigs } from '../../src/config/load-offices';
import { SETTING_SCOPES } from '../../src/config/office-settings';
import { settingsSchema } from '../../src/config/schema';
import { formatProblem } from '../../src/errors';
import { renderCaption } from '../../src/render/caption';
import { planAll } from '../../src/app/plan-all';
import { OVERRIDE_MARKER, SHARED_HERALD, writeFile, writeOfficesConfig } from '../support/offices-fixture';

const NOW = new Date('2027-03-01T00:00:00Z');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function fixture(broken?: string): string {
  const dir = writeOfficesConfig({ opensOn: '2027-03-10', serviceDay: '2027-03-15', ...(broken ? { broken } : {}) });
  dirs.push(dir);
  return dir;
}

describe('config/load-offices', () => {
  it('loads each office over the shared defaults; a broken office is reported with its file:line:col and the others load', () => {
    const dir = fixture('kanim-jayapura');
    const result = loadOfficeConfigs(dir);
    expect(result.shared).toEqual([]);
    expect(result.offices.map((o) => [o.id, o.config !== null])).toEqual([
      ['kanim-jayapura', false],
      ['kanim-makassar', true],
      ['kanim-medan', true],
    ]);
    const [jayapura, makassar, medan] = result.offices;
    expect(jayapura!.problems.map((p) => formatProblem(p, dir))).toEqual([
      expect.stringMatching(/^offices\/kanim-jayapura\/herald\.yaml:3:13: unknown time zone `Asia\/Jayapuraa`/),
    ]);
    const office = medan!.config!.offices[0]!;
    expect(office.timezone).toBe('Asia/Jakarta');
    expect(makassar!.config!.offices[0]!.timezone).toBe('Asia/Makassar');
    // Services, rules and office info come from the shared file; the name and channels from the office's.
    expect(office.services.map((s) => s.id)).toEqual(['regular', 'express']);
    expect(office.info.bookingChannel).toBe('aplikasi M-Paspor');
    expect(office.announcements.map((r) => r.id)).toEqual(['h-1', 'opening']);
    // Channel ids are unique across the deployment: the office id qualifies them.
    expect(office.channels.map((c) => c.id)).toEqual(['kanim-medan/instagram', 'kanim-medan/x']);
    expect(office.announcements[0]!.channels).toEqual(['kanim-medan/instagram', 'kanim-medan/x']);
    // A shared value's location is in the shared file, an office value's in the office's.
    expect(office.announcements[0]!.location.file).toBe(path.join(dir, 'herald.yaml'));
    expect(office.channels[0]!.location.file).toBe(path.join(dir, 'offices', 'kanim-medan', 'herald.yaml'));
  });

  it('reports a problem in a shared rule at its line in the shared file, once, and loads no office', () => {
    const dir = fixture();
    writeFile(path.join(dir, 'herald.yaml'), SHARED_HERALD.replace('    when: { atOpening: true }', '    when: { atOpening: true }\n    chanels: [x]'));
    const result = loadOfficeConfigs(dir);
    expect(result.shared.map((p) => formatProblem(p, dir))).toEqual([expect.stringMatching(/^herald\.yaml:17:5: unknown key `chanels` in item 2 of `announcements`\. Did you mean `channels`\?/)]);
    expect(result.offices.every((o) => o.config === null)).toBe(true);
  });

  it('refuses a mismatched id in an office file, and channels in the shared file', () => {
    const dir = fixture();
    const makassarFile = path.join(dir, 'offices', 'kanim-makassar', 'herald.yaml');
    fs.writeFileSync(makassarFile, fs.readFileSync(makassarFile, 'utf8').replace('office:\n', 'office:\n  id: makassar\n'));
    const result = loadOfficeConfigs(dir);
    const byId = new Map(result.offices.map((o) => [o.id, o]));
    expect(byId.get('kanim-makassar')!.problems.map((p) => formatProblem(p, dir))).toEqual([expect.stringMatching(/^offices\/kanim-makassar\/herald\.yaml:2:7: office id `makassar` differs from its folder name `kanim-makassar`/)]);
    expect(byId.get('kanim-jayapura')!.config).not.toBeNull();

    fs.appendFileSync(path.join(dir, 'herald.yaml'), 'channels:\n  - { id: x, driver: outbox }\n');
    expect(loadOfficeConfigs(dir).shared.map((p) => formatProblem(p, dir))).toEqual([expect.stringMatching(/^herald\.yaml:20:1: channels belong to each office/)]);
  });

  it('an office sets its own daily caps and horizon over the shared defaults; a channel cap wins over both', () => {
    const dir = fixture();
    fs.appendFileSync(path.join(dir, 'herald.yaml'), '  dailyCaps: { x: 50, instagram: 25 }\n');
    fs.appendFileSync(path.join(dir, 'offices', 'kanim-medan', 'herald.yaml'), 'settings:\n  horizonDays: 14\n  dailyCaps: { x: 17 }\n');
    const makassarFile = path.join(dir, 'offices', 'kanim-makassar', 'herald.yaml');
    fs.writeFileSync(makassarFile, fs.readFileSync(makassarFile, 'utf8').replace('{ id: x, driver: outbox, platform: x }', '{ id: x, driver: outbox, platform: x, dailyCap: 5 }'));
    const result = loadOfficeConfigs(dir);
    expect(result.offices.flatMap((o) => o.problems)).toEqual([]);
    const office = (id: string) => result.offices.find((o) => o.id === id)!.config!;
    const caps = (id: string) => Object.fromEntries(office(id).offices[0]!.channels.map((c) => [c.id, c.dailyCap]));
    expect(caps('kanim-medan')).toEqual({ 'kanim-medan/instagram': 25, 'kanim-medan/x': 17 });
    expect(caps('kanim-makassar')).toEqual({ 'kanim-makassar/instagram': 25, 'kanim-makassar/x': 5 });
    expect(caps('kanim-jayapura')).toEqual({ 'kanim-jayapura/instagram': 25, 'kanim-jayapura/x': 50 });
    expect(office('kanim-medan').offices[0]!.horizonDays).toBe(14);
    expect(office('kanim-makassar').offices[0]!.horizonDays).toBeUndefined();
    // The deployment's settings stay the shared file's, for every office.
    for (const id of ['kanim-medan', 'kanim-makassar']) expect(office(id).settings).toMatchObject({ horizonDays: 35, dailyCaps: { x: 50, instagram: 25 } });
  });

  it("ignores a deployment-wide setting in an office file with a warning at its line saying why; the office still loads", () => {
    const dir = fixture();
    fs.appendFileSync(
      path.join(dir, 'offices', 'kanim-medan', 'herald.yaml'),
      'settings:\n  replanCron: "*/5 * * * *"\n  mediaServer: { publicBaseUrl: https://media.medan.example }\n  renderAheadMinutes: 30\n  horizonDays: 20\n',
    );
    const medan = loadOfficeConfigs(dir).offices.find((o) => o.id === 'kanim-medan')!;
    expect(medan.problems.map((p) => [p.severity, formatProblem(p, dir)])).toEqual([
      ['warning', expect.stringMatching(/^offices\/kanim-medan\/herald\.yaml:8:3: warning: settings\.replanCron is deployment-wide \(one re-plan timer re-reads and re-plans every office\): this office's value is ignored\. Set it in the shared config\/herald\.yaml/)],
      ['warning', expect.stringMatching(/^offices\/kanim-medan\/herald\.yaml:9:3: warning: settings\.mediaServer is deployment-wide \(one media server, at one address and port/)],
      ['warning', expect.stringMatching(/^offices\/kanim-medan\/herald\.yaml:10:3: warning: settings\.renderAheadMinutes is deployment-wide/)],
    ]);
    const config = medan.config!;
    expect(config.settings).toMatchObject({ replanCron: '*/10 * * * *', renderAheadMinutes: 10 });
    expect(config.settings.mediaServer).toBeUndefined();
    expect(config.offices[0]!.horizonDays).toBe(20);

    // A key that is no setting at all is the schema's error, not "deployment-wide".
    fs.appendFileSync(path.join(dir, 'offices', 'kanim-medan', 'herald.yaml'), '  databse: postgres\n');
    const again = loadOfficeConfigs(dir).offices.find((o) => o.id === 'kanim-medan')!;
    expect(again.config).toBeNull();
    expect(again.problems.filter((p) => p.severity === 'error').map((p) => formatProblem(p, dir))).toEqual([expect.stringMatching(/^offices\/kanim-medan\/herald\.yaml:12:3: unknown key `databse`/)]);
  });

  it('classifies every setting of the schema as per office or deployment-wide', () => {
    expect(Object.keys(SETTING_SCOPES).sort()).toEqual(Object.keys(settingsSchema.shape).sort());
    expect(Object.entries(SETTING_SCOPES).filter(([, s]) => s.scope === 'office').map(([key]) => key).sort()).toEqual(['alerts', 'approval', 'dailyCaps', 'horizonDays']);
  });

  it('looks templates up office → shared → shipped: an office override serves all its channels, the X fallback stays for the others', () => {
    const dir = fixture();
    const deployment = loadDeployment(dir, { now: NOW });
    expect(deployment.many).toBe(true);
    const captions = new Map<string, string>();
    for (const office of deployment.offices) {
      const loaded = office.loaded!;
      const { posts } = planAll(loaded.config, { from: NOW, to: new Date('2027-03-20T00:00:00Z') });
      for (const post of posts.filter((p) => p.ruleId === 'h-1')) captions.set(post.channelId, renderCaption(templatesFor(loaded, post.officeId), post));
    }
    expect([...captions.keys()].sort()).toEqual([
      'kanim-jayapura/instagram', 'kanim-jayapura/x', 'kanim-makassar/instagram', 'kanim-makassar/x', 'kanim-medan/instagram', 'kanim-medan/x',
    ]);
    expect(captions.get('kanim-makassar/instagram')!.split('\n')[0]).toBe(OVERRIDE_MARKER);
    // The office's captions/h-1.hbs wins over the shipped h-1.x.hbs: an override is never half applied.
    expect(captions.get('kanim-makassar/x')!.split('\n')[0]).toBe(OVERRIDE_MARKER);
    expect(captions.get('kanim-medan/instagram')).not.toContain(OVERRIDE_MARKER);
    // Medan's X post uses the shipped X caption, not the general one.
    expect(captions.get('kanim-medan/x')).not.toBe(captions.get('kanim-medan/instagram'));

    // A shared template folder sits between the two: it serves offices without their own.
    writeFile(path.join(dir, 'templates', 'captions', 'h-1.x.hbs'), 'BERSAMA {{office.name}}\n');
    const again = loadDeployment(dir, { now: NOW });
    const medan = again.offices.find((o) => o.id === 'kanim-medan')!.loaded!;
    const post = planAll(medan.config, { from: NOW, to: new Date('2027-03-20T00:00:00Z') }).posts.find((p) => p.ruleId === 'h-1' && p.channelId === 'kanim-medan/x')!;
    expect(renderCaption(templatesFor(medan, post.officeId), post)).toBe('BERSAMA Kantor Imigrasi Medan');
  });
});
