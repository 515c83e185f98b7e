/**
 * `user add NAME --role admin|editor|approver|viewer [--office ID]`: a console
 * user. `admin` without --office is a global admin (every office); every other
 * role needs the office. The password comes from a prompt or stdin
 * (cli/password-input.ts), is checked, hashed (web/password.ts) and never
 * printed or logged. Exit 0, or 2 for a usage error.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { hasConfigFiles, isManyOffices, listOfficeIds } from '../config/load-offices';
import { AppError } from '../errors';
import { listCurrentIds } from '../store/config-revisions';
import { openStore, type Store } from '../store/open';
import { createUser, isValidUserName, normalizeUserName, UserExistsError } from '../store/users';
import { hashPassword, passwordProblem } from '../web/password';
import { isRole, ROLES } from '../web/roles';
import type { CliContext } from './context';
import { write } from './context';
import { PasswordMismatchError, readPassword, type PasswordStdin } from './password-input';

export async function userAddCommand(ctx: CliContext, name: string, options: { role: string; office?: string }, stdin: PasswordStdin): Promise<number> {
  const userName = normalizeUserName(name);
  if (!isValidUserName(userName)) throw new AppError('usage', `"${name}" is not a user name: use letters, digits and . _ @ - (e.g. ani.siregar), up to 100 characters`);
  if (!isRole(options.role)) throw new AppError('usage', `unknown role "${options.role}": use one of ${ROLES.join(', ')}`);
  const role = options.role;
  if (options.office === undefined && role !== 'admin') throw new AppError('usage', `--office ID is needed for the role ${role} (only an admin may be without an office: an admin of every office)`);

  const store = await openStore(ctx.databaseUrl ? { databaseUrl: ctx.databaseUrl } : { dataDir: ctx.dataDir });
  try {
    if (options.office !== undefined) {
      const known = await knownOfficeIds(ctx, store);
      if (!known.includes(options.office)) throw new AppError('usage', `unknown office "${options.office}": use one of ${known.join(', ') || '(none: no office in the config files or in the database)'}`);
    }
    let password: string;
    try {
      password = await readPassword(stdin, ctx.stderr);
    } catch (error) {
      if (error instanceof PasswordMismatchError) throw new AppError('usage', 'the two passwords differ: run the command again');
      throw error;
    }
    const problem = passwordProblem(password);
    if (problem) throw new AppError('usage', `${problem}; nothing was created`);
    const globalAdmin = role === 'admin' && options.office === undefined;
    try {
      await createUser(store, { name: userName, passwordHash: await hashPassword(password), globalAdmin, roles: new Map(globalAdmin ? [] : [[options.office!, role]]) }, ctx.clock.now());
    } catch (error) {
      if (error instanceof UserExistsError) throw new AppError('usage', `there is already a user named "${userName}"; pick another name`);
      throw error;
    }
    write(ctx.stdout, globalAdmin ? `user ${userName} created: admin of every office` : `user ${userName} created: ${role} of office ${options.office}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** The offices of the config files (without loading them) and of the database's current revisions. */
async function knownOfficeIds(ctx: CliContext, store: Store): Promise<string[]> {
  const ids = new Set((await listCurrentIds(store)).keys());
  if (hasConfigFiles(ctx.configDir)) {
    if (isManyOffices(ctx.configDir)) listOfficeIds(ctx.configDir).forEach((id) => ids.add(id));
    else {
      const id = singleOfficeId(path.join(ctx.configDir, 'herald.yaml'));
      if (id) ids.add(id);
    }
  }
  return [...ids].filter((id) => id !== '').sort();
}

function singleOfficeId(file: string): string | undefined {
  try {
    const data: unknown = YAML.parse(fs.readFileSync(file, 'utf8'));
    const office = (data as { office?: { id?: unknown } } | null)?.office;
    return typeof office?.id === 'string' ? office.id : undefined;
  } catch {
    return undefined;
  }
}
