/**
 * The public addresses of a deployment: `settings.mediaServer.publicBaseUrl`
 * (where Instagram fetches cards) and `settings.web.publicBaseUrl` (the public
 * pages; every card's QR code leads there). Both are checked alike here.
 */
import path from 'node:path';
import type { Problem } from '../errors';
import type { Checker } from './checks';
import type { Settings } from './types';
import { readYamlFile, type DataPath } from './yaml-source';

/**
 * A public base address: https://, or http:// on the loopback for a try-out on
 * one machine, with nothing after it (paths are appended). Returns it without
 * its trailing slash. `why` says who needs HTTPS.
 */
export function checkPublicBaseUrl(checker: Checker, at: DataPath, value: string, why: string): string {
  if (!/^https:\/\/[^/\s]+/.test(value) && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(value)) {
    checker.error(at, `\`${value}\` is not a public https:// address: ${why}; put the address of your reverse proxy or tunnel here.`);
  } else if (/[?#\s]/.test(value)) {
    checker.error(at, `\`${value}\` has a query, a fragment or a space: write only the address paths are added to, e.g. https://kuota.example.go.id or https://example.go.id/kuota.`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * `check`'s warning when cards can show only their verification code (no QR
 * code, no address to check it at), at `settings.web` of the deployment's
 * herald.yaml (or as near as the file has it); null when publicBaseUrl is set.
 * Only `check` warns: loading a config stays quiet, since a try-out has no
 * public address yet.
 */
export function missingPublicBaseUrl(configDir: string, settings: Settings): Problem | null {
  if (settings.web?.publicBaseUrl !== undefined) return null;
  const file = path.join(configDir, 'herald.yaml');
  const location = readYamlFile(file, file)?.locate(['settings', 'web']) ?? { file, line: 1, col: 1 };
  return {
    location,
    severity: 'warning',
    message:
      'settings.web.publicBaseUrl is not set: cards print their verification code ("Kode cek") but no QR code and no address where the public can check it, so a forged card is hard to tell from a real one. Set it to the public https address of the web server under settings, e.g. `web: { publicBaseUrl: "https://kuota.example.go.id" }` (docs/config.md).',
  };
}
