/**
 * The four OAuth 1.0a secrets of an X account, read from the environment
 * through the variable NAMES in the channel config. Values never leave this
 * object: messages name the variable, never what it holds.
 */
import type { ChannelConfig } from '../../config/types';
import { AppError } from '../../errors';

/** OAuth 1.0a user context: the app's key pair plus the office account's access token pair. */
export interface XCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
}

export const X_CREDENTIAL_KEYS = ['appKey', 'appSecret', 'accessToken', 'accessSecret'] as const;

/** The variable names `config/.env.example` suggests, used when the config leaves a credential out. */
export const X_DEFAULT_ENV_NAMES: Record<(typeof X_CREDENTIAL_KEYS)[number], string> = {
  appKey: 'X_APP_KEY',
  appSecret: 'X_APP_SECRET',
  accessToken: 'X_ACCESS_TOKEN',
  accessSecret: 'X_ACCESS_SECRET',
};

/**
 * Reads every credential; all missing variables are reported in one error so
 * staff fix `.env` in one go.
 */
export function readXCredentials(config: ChannelConfig, env: Readonly<Record<string, string | undefined>>): XCredentials {
  const missing: string[] = [];
  const values: Partial<XCredentials> = {};
  for (const key of X_CREDENTIAL_KEYS) {
    const name = config.credentials[key] ?? X_DEFAULT_ENV_NAMES[key];
    const value = env[name]?.trim();
    if (value === undefined || value === '') missing.push(`${name} (credential ${key})`);
    else values[key] = value;
  }
  if (missing.length > 0) {
    const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
    const list = missing.join(', ');
    throw new AppError(
      'config-invalid',
      `${where}: channel "${config.id}": environment variable${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'are' : 'is'} not set: put ${missing.length > 1 ? 'them' : 'it'} in .env (the app's API key and secret and the office account's access token and secret from the X developer portal, app permissions "Read and write"), then restart`,
    );
  }
  return values as XCredentials;
}
