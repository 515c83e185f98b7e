/**
 * An office's herald.yaml laid over the deployment's shared defaults
 * (config/herald.yaml), as one YamlSource: the data the normaliser reads is
 * the merge, and every path still leads back to the line and column of the
 * file the value came from — a problem in a shared rule names the shared
 * file, one in the office's own list names the office's.
 *
 * Lists (services, announcements, digests) are taken whole from one file: an
 * office that lists its own announcements replaces the shared ones. `office`
 * and `holidays` merge key by key (the office's `info` replaces the shared
 * `info` as a whole). Keys in `officeOnly` are never taken from the shared file.
 */
import { isRecord } from './checks';
import type { DataPath, YamlSource } from './yaml-source';

const MERGED_MAPS = new Set(['office', 'holidays']);

export function layerSources(shared: YamlSource | null, office: YamlSource, options: { officeOnly: readonly string[] }): YamlSource {
  if (!shared || !isRecord(shared.data) || !isRecord(office.data)) return office;
  const owners = new Map<string, YamlSource>();
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(shared.data)) {
    if (options.officeOnly.includes(key)) continue;
    data[key] = value;
    owners.set(key, shared);
    if (MERGED_MAPS.has(key) && isRecord(value)) for (const sub of Object.keys(value)) owners.set(`${key}.${sub}`, shared);
  }
  for (const [key, value] of Object.entries(office.data)) {
    const below = data[key];
    if (MERGED_MAPS.has(key) && isRecord(value) && isRecord(below)) {
      data[key] = { ...below, ...value };
      for (const sub of Object.keys(value)) owners.set(`${key}.${sub}`, office);
    } else {
      data[key] = value;
      for (const sub of [...owners.keys()].filter((owned) => owned.startsWith(`${key}.`))) owners.delete(sub);
    }
    owners.set(key, office);
  }
  const ownerOf = (path: DataPath): YamlSource => {
    const [key, sub] = path;
    if (key === undefined) return office;
    return (sub !== undefined ? owners.get(`${key}.${sub}`) : undefined) ?? owners.get(String(key)) ?? office;
  };
  return {
    file: office.file,
    data,
    problems: office.problems,
    locate: (path) => ownerOf(path).locate(path),
    locateKey: (path) => ownerOf(path).locateKey(path),
  };
}
