/** Writes a throwaway templates directory for load tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SAMPLE_TEMPLATES = path.resolve(__dirname, '../../templates');
/** settings.web.publicBaseUrl of the sample config (config/herald.yaml): cards carry a QR code to it. */
export { SAMPLE_PUBLIC_BASE_URL } from '../support/sample-config';

/** Minimal valid files for template NAME, overridable one by one. */
export function minimalFiles(name = 'h-1'): Record<string, string> {
  return {
    [`captions/${name}.hbs`]: 'Dibuka {{time release.opensAt}}',
    [`cards/${name}.svg.hbs`]:
      '<svg xmlns="http://www.w3.org/2000/svg" width="1080" height="1350"><text x="10" y="50" font-family="Noto Sans">{{office.name}}</text></svg>',
    [`alt/${name}.hbs`]: 'Kartu {{office.name}}',
  };
}

export function writeTemplateDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qh-templates-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** Every sample template with the kind the sample office uses it for. */
export const SAMPLE_USES = [
  { name: 'h-1', kind: 'announcement' as const, channelIds: ['instagram', 'x'] },
  { name: 'h-60m', kind: 'announcement' as const, channelIds: ['instagram', 'x'] },
  { name: 'opening', kind: 'announcement' as const, channelIds: ['instagram', 'x'] },
  { name: 'weekly', kind: 'digest' as const, channelIds: ['instagram', 'x'] },
  { name: 'correction', kind: 'correction' as const, channelIds: ['instagram', 'x'] },
  { name: 'cancellation', kind: 'cancellation' as const, channelIds: ['instagram', 'x'] },
];
