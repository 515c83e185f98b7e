/**
 * The deployment files keep their promises, checked without Docker or systemd
 * (neither runs in CI): the Dockerfile's image is Node 20, runs as a non-root
 * user on `npm ci --omit=dev` dependencies and probes a command the CLI has;
 * compose.yaml's bots share one DATABASE_URL and read the config read-only;
 * the systemd unit runs the shipped CLI with its data directory the only
 * writable path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import { main } from '../../src/cli/main';
import { REPO_ROOT } from '../support/cli';

const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

// --- Dockerfile ----------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

/** Instructions with continuation lines joined and comments dropped; ARGs before the first FROM substituted. */
function dockerStages(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    const upper = keyword.toUpperCase();
    if (upper === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = args.split('=');
      globalArgs.set(name, value);
    } else if (upper === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!match) throw new Error(`unreadable FROM: ${line}`);
      const image = match[1]!.replace(/\$\{(\w+)\}/g, (_, name: string) => globalArgs.get(name) ?? `\${${name}}`);
      stages.push({ image, name: match[2] ?? null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args });
    }
  }
  return stages;
}

const stages = dockerStages(read('Dockerfile'));
const final = stages.at(-1)!;
const stageNamed = (name: string): Stage => {
  const stage = stages.find((s) => s.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
};
const runs = (stage: Stage): string[] => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
/** The stage a final-stage `COPY --from=STAGE SOURCE …` takes SOURCE from. */
const copiedFrom = (source: RegExp): Stage => {
  const copy = final.instructions.find((i) => i.keyword === 'COPY' && /--from=/.test(i.args) && source.test(i.args));
  if (!copy) throw new Error(`the final stage copies nothing matching ${source}`);
  return stageNamed(/--from=(\S+)/.exec(copy.args)![1]!);
};
/** JSON-array form of CMD/HEALTHCHECK (the exec form: no shell between Docker and node). */
const execForm = (args: string): string[] => JSON.parse(args.slice(args.indexOf('['))) as string[];

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('build/deploy-files: Dockerfile', () => {
  it('builds every stage on Node 20', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(/^node:20[-.]/);
  });

  it('runs the final image as a non-root user, on production dependencies from `npm ci --omit=dev`', () => {
    const users = final.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);

    const deps = copiedFrom(/node_modules/);
    expect(runs(deps).some((run) => /\bnpm ci\b[^&;]*--omit=dev/.test(run))).toBe(true);
    // No full install anywhere in that stage: a dev dependency must not reach the image.
    expect(runs(deps).filter((run) => /\bnpm ci\b/.test(run)).every((run) => /\bnpm ci\b[^&;]*--omit=dev/.test(run))).toBe(true);
    // The native addon is built there (the compiler stays behind in that stage).
    expect(runs(deps).some((run) => /npm rebuild better-sqlite3/.test(run))).toBe(true);
    expect(runs(final).join('\n')).not.toMatch(/apt-get install|npm (ci|install)\b/);
  });

  it('ships dist/ from the stage that builds it, and no src/ (so the shipped CLI never thinks its build is stale)', () => {
    expect(runs(copiedFrom(/\/dist\b/)).some((run) => /npm run build/.test(run))).toBe(true);
    const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.some((args) => /(^|\s)(\.\/)?src\b/.test(args))).toBe(false);
  });

  it('starts `run` and probes health with a command the CLI has', async () => {
    const cmd = execForm(final.instructions.find((i) => i.keyword === 'CMD')!.args);
    expect(cmd).toEqual(['node', 'bin/quota-herald.js', 'run']);
    const healthcheck = final.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    const probe = execForm(healthcheck!.args);
    expect(probe.slice(0, 2)).toEqual(['node', 'bin/quota-herald.js']);
    const command = probe[2]!;
    // The real CLI: an unknown command would exit 2 ("unknown command"), not print its usage.
    const stdout = new Capture();
    const code = await main(['node', 'quota-herald', command, '--help'], { env: {}, stdout, stderr: new Capture(), cwd: REPO_ROOT });
    expect(code).toBe(0);
    expect(stdout.text).toMatch(new RegExp(`^Usage: quota-herald ${command} `));
  });

  it("probes the container's own instance (`health` without --any), with a start-up grace", () => {
    const healthcheck = final.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
    const probe = execForm(healthcheck.args);
    expect(probe[2]).toBe('health');
    // --any would call a frozen container healthy while another instance runs.
    expect(probe).not.toContain('--any');
    expect(healthcheck.args).toMatch(/--start-period=\d+s/);
  });

  it('copies only files that exist and that .dockerignore lets into the build context; keeps secrets and local data out', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const secretOrLocal of ['.env', '**/.env', 'node_modules', 'data', 'dist', '.git']) expect(ignored).toContain(secretOrLocal);
    const sources = stages
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(['package-lock.json', 'src', 'templates']));
    for (const source of sources) {
      expect(fs.existsSync(path.join(REPO_ROOT, source))).toBe(true);
      expect(ignored).not.toContain(source.split('/')[0]);
    }
  });
});

// --- compose.yaml ----------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  env_file?: string | string[];
  volumes?: string[];
  depends_on?: Record<string, { condition?: string }>;
}

describe('build/deploy-files: compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  const services = Object.entries(compose.services);
  const bots = services.filter(([, service]) => service.build !== undefined);
  const [databaseName, database] = services.find(([, service]) => service.image?.startsWith('postgres:')) ?? [];

  it('runs PostgreSQL and two bot instances built from this Dockerfile', () => {
    expect(database).toBeDefined();
    expect(bots.map(([name]) => name)).toHaveLength(2);
  });

  it('gives both bots the same DATABASE_URL, naming the PostgreSQL service, its user, database and password', () => {
    const urls = bots.map(([, bot]) => bot.environment?.DATABASE_URL);
    expect(new Set(urls).size).toBe(1);
    const url = urls[0]!;
    const match = /^postgres:\/\/([^:]+):(\$\{POSTGRES_PASSWORD[^}]*\})@([^:/]+):5432\/(\w+)$/.exec(url);
    expect(match).not.toBeNull();
    const [, user, password, host, name] = match!;
    expect(host).toBe(databaseName);
    expect(database!.environment).toMatchObject({ POSTGRES_USER: user, POSTGRES_DB: name, POSTGRES_PASSWORD: password });
  });

  it('mounts the config and templates read-only and gives each bot its own writable data directory', () => {
    const dataVolumes = new Set<string>();
    for (const [name, bot] of bots) {
      const mounts = (bot.volumes ?? []).map((volume) => volume.split(':'));
      const config = mounts.find(([, target]) => target === bot.environment?.HERALD_CONFIG_DIR);
      expect({ name, config }).toEqual({ name, config: ['./config', '/app/config', 'ro'] });
      // Templates beside the config, where src/config/load.ts finds them: edits are live without a rebuild.
      expect({ name, templates: mounts.find(([source]) => source === './templates') }).toEqual({ name, templates: ['./templates', '/app/templates', 'ro'] });
      const data = mounts.find(([, target]) => target === bot.environment?.HERALD_DATA_DIR);
      expect(data).toHaveLength(2); // no `:ro`
      dataVolumes.add(data![0]!);
    }
    expect(dataVolumes.size).toBe(bots.length);
  });

  it('reads secrets from .env and starts the bots once PostgreSQL is healthy', () => {
    for (const [, bot] of bots) {
      expect(bot.env_file).toBe('.env');
      expect(bot.depends_on?.[databaseName!]?.condition).toBe('service_healthy');
    }
  });
});

// --- systemd unit ------------------------------------------------------------------

describe('build/deploy-files: deploy/quota-herald.service', () => {
  /** [Service] settings; a key given more than once keeps every value. */
  const service = new Map<string, string[]>();
  let section = '';
  for (const line of read('deploy/quota-herald.service').split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) section = header[1]!;
    else if (section === 'Service') {
      const at = line.indexOf('=');
      const key = line.slice(0, at);
      service.set(key, [...(service.get(key) ?? []), line.slice(at + 1)]);
    }
  }
  const one = (key: string): string | undefined => service.get(key)?.at(-1);
  const environment = new Map((service.get('Environment') ?? []).map((pair) => pair.split('=') as [string, string]));

  it('runs the shipped CLI `run` from its working directory as an unprivileged user', () => {
    const workingDirectory = one('WorkingDirectory')!;
    expect(workingDirectory).toMatch(/^\//);
    expect(one('ExecStart')).toMatch(new RegExp(`^/\\S*/node ${workingDirectory}/bin/quota-herald\\.js run$`));
    expect(fs.existsSync(path.join(REPO_ROOT, 'bin', 'quota-herald.js'))).toBe(true);
    expect(one('User')).toBeDefined();
    expect(one('User')).not.toBe('root');
    expect(one('EnvironmentFile')).toMatch(/^-?\//);
  });

  it('restarts on failure and can write only its data directory', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    const dataDir = environment.get('HERALD_DATA_DIR');
    expect(dataDir).toBeDefined();
    expect(one('ReadWritePaths')?.split(/\s+/)).toEqual([dataDir]);
    expect(one('ReadWritePaths')).not.toContain(environment.get('HERALD_CONFIG_DIR'));
  });
});
