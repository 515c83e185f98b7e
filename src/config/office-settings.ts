/**
 * Which `settings` an office may set in its own herald.yaml (the many-office
 * layout) and which belong to the whole deployment. The table is typed over
 * every key of the settings schema: a new setting does not compile until it
 * is placed here (docs/config.md, "Settings per office", mirrors it).
 *
 * Office settings are the office's own: its alert recipients (besides the
 * shared, global ones), its channels' daily caps, how far ahead its posts are
 * planned. Deployment settings describe a thing there is one of in a running
 * bot — one re-plan timer, one media server, one schedule loop rendering every
 * office's cards — so an office's value cannot take effect: it is ignored,
 * with a warning at its line.
 */
import type { SettingsInput } from './schema';
import type { OfficeConfig, Settings } from './types';

export type SettingScope = { scope: 'office' } | { scope: 'deployment'; why: string };

export const SETTING_SCOPES: { readonly [K in keyof Required<SettingsInput>]: SettingScope } = {
  alerts: { scope: 'office' },
  dailyCaps: { scope: 'office' },
  horizonDays: { scope: 'office' },
  approval: { scope: 'office' },
  renderAheadMinutes: { scope: 'deployment', why: "one schedule loop renders every office's cards" },
  replanCron: { scope: 'deployment', why: 'one re-plan timer re-reads and re-plans every office' },
  mediaServer: { scope: 'deployment', why: "one media server, at one address and port, serves every office's cards" },
  web: { scope: 'deployment', why: 'one web server, at one address and port, serves every office' },
};

/** The scope of a `settings` key; undefined for a key that is not a setting (the schema reports it). */
export function settingScope(key: string): SettingScope | undefined {
  return Object.hasOwn(SETTING_SCOPES, key) ? SETTING_SCOPES[key as keyof SettingsInput] : undefined;
}

/** How many days ahead `office`'s posts are planned: its own horizon, else the deployment's. */
export function horizonDaysFor(office: Pick<OfficeConfig, 'horizonDays'> | undefined, settings: Pick<Settings, 'horizonDays'>): number {
  return office?.horizonDays ?? settings.horizonDays;
}
