/**
 * `settings.approval` (issue 9): parsed with defaults, misspelt rule ids and
 * bad values reported at their line, inherited and overridden per office in
 * the many-office layout, and turned into approval cut-offs by the planner.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load';
import { loadOfficeConfigs } from '../../src/config/load-offices';
import { approvalCutoff } from '../../src/plan/approval';
import { planAll } from '../../src/app/plan-all';
import { writeFile, writeOfficesConfig } from '../support/offices-fixture';
import { MINIMAL_HERALD, MINIMAL_TEMPLATES, errorsOf, problemAt, writeTempDir } from './helpers';

const CALENDAR = `releases:
  - id: buka
    opensAt: "2027-03-10 10:00"
    days:
      - { date: 2027-03-15, quota: { regular: 100 } }
`;

function load(settings: string) {
  const dir = writeTempDir({ 'herald.yaml': `${MINIMAL_HERALD}${settings}`, 'calendar.yaml': CALENDAR, ...MINIMAL_TEMPLATES });
  return { dir, ...loadConfig(dir) };
}

describe('config/approval', () => {
  it('reads { required, hoursBefore, rules } and defaults hoursBefore to 24 and rules to every rule', () => {
    const given = load('settings:\n  approval: { required: true, hoursBefore: 48, rules: [h-1] }\n');
    expect(errorsOf(given.problems)).toEqual([]);
    expect(given.config!.offices[0]!.approval).toMatchObject({ hoursBefore: 48, rules: ['h-1'] });
    const defaults = load('settings:\n  approval: {}\n');
    expect(defaults.config!.offices[0]!.approval).toMatchObject({ hoursBefore: 24, rules: null });
    expect(load('').config!.offices[0]!.approval).toBeUndefined();
    expect(load('settings:\n  approval: { required: false, hoursBefore: 12 }\n').config!.offices[0]!.approval).toBeUndefined();
  });

  it('reports a rule id that names no rule, and a negative hoursBefore, at their line and column', () => {
    const { dir, problems, config } = load('settings:\n  approval:\n    hoursBefore: -1\n    rules: [h-1, openin]\n');
    expect(config).toBeNull();
    const herald = path.join(dir, 'herald.yaml');
    const lines = fs.readFileSync(herald, 'utf8').split('\n');
    const rulesLine = lines.findIndex((line) => line.includes('rules: [h-1, openin]')) + 1;
    expect(problemAt(problems, herald, rulesLine, lines[rulesLine - 1]!.indexOf('openin') + 1).message).toMatch(/unknown rule `openin`: name an announcement or digest rule of this office \(h-1\), or correction\/cancellation/);
    expect(problemAt(problems, herald, rulesLine - 1, lines[rulesLine - 2]!.indexOf('-1') + 1).message).toMatch(/hours cannot be negative/);
  });

  it('accepts correction and cancellation as rule ids', () => {
    expect(errorsOf(load('settings:\n  approval: { rules: [h-1, correction, cancellation] }\n').problems)).toEqual([]);
  });

  it('many offices: the shared approval applies to every office; an office may set its own or turn it off', () => {
    const dir = writeOfficesConfig({ opensOn: '2027-03-10', serviceDay: '2027-03-15' });
    try {
      const shared = path.join(dir, 'herald.yaml');
      fs.writeFileSync(shared, `${fs.readFileSync(shared, 'utf8')}  approval: { hoursBefore: 24, rules: [opening] }\n`);
      const medan = path.join(dir, 'offices', 'kanim-medan', 'herald.yaml');
      writeFile(medan, `${fs.readFileSync(medan, 'utf8')}settings:\n  approval: { required: false }\n`);
      const makassar = path.join(dir, 'offices', 'kanim-makassar', 'herald.yaml');
      writeFile(makassar, `${fs.readFileSync(makassar, 'utf8')}settings:\n  approval: { hoursBefore: 2 }\n`);
      const result = loadOfficeConfigs(dir);
      expect(result.shared).toEqual([]);
      const approval = Object.fromEntries(result.offices.map((o) => [o.id, o.config?.offices[0]?.approval ?? null]));
      expect(approval['kanim-jayapura']).toMatchObject({ hoursBefore: 24, rules: ['opening'] });
      expect(approval['kanim-makassar']).toMatchObject({ hoursBefore: 2, rules: null });
      expect(approval['kanim-medan']).toBeNull();
      expect(result.offices.flatMap((o) => o.problems)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('many offices: a misspelt rule in the shared approval is reported in the shared file', () => {
    const dir = writeOfficesConfig({ opensOn: '2027-03-10', serviceDay: '2027-03-15' });
    try {
      const shared = path.join(dir, 'herald.yaml');
      fs.writeFileSync(shared, `${fs.readFileSync(shared, 'utf8')}  approval: { rules: [openng] }\n`);
      const result = loadOfficeConfigs(dir);
      expect(result.shared.map((p) => p.message)).toEqual([expect.stringMatching(/unknown rule `openng`.*\(h-1, opening\).*Did you mean/s)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the planner gives each post of an approved rule its cut-off, hoursBefore before it is due, and none to the others', () => {
    const { config, problems } = load(
      '  - { id: opening, when: { atOpening: true }, channels: [x], template: h-1 }\nsettings:\n  approval: { hoursBefore: 24, rules: [opening] }\n',
    );
    expect(errorsOf(problems)).toEqual([]);
    const posts = planAll(config!, { from: new Date('2027-03-01T00:00:00Z'), to: new Date('2027-03-20T00:00:00Z') }).posts;
    const byRule = Object.fromEntries(posts.map((p) => [p.ruleId, p]));
    // Opening 2027-03-10 10:00 WIB = 03:00Z; the cut-off a day before.
    expect(byRule.opening!.approveBy).toEqual(new Date('2027-03-09T03:00:00Z'));
    expect(byRule['h-1']!.approveBy).toBeUndefined();
    expect(approvalCutoff({}, byRule.opening!)).toBeNull();
  });
});
