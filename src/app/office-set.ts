/**
 * The offices a running bot serves, each from its last good config: a reload
 * swaps in every office that loads, keeps the last good config of each office
 * that does not (and says so), and drops the offices whose folder is gone.
 * Pure: the bot holds the map and builds its runtime from it.
 */
import type { Channel, ChannelDeps } from '../channels/channel';
import { createChannels } from '../channels/registry';
import { AppError, type Problem } from '../errors';
import type { Runtime } from '../schedule/scheduler';
import { combineLoaded, type DeploymentOutcome, type Loaded } from './load-all';

export interface OfficeSetUpdate {
  /** Every office served from now on, by id (sorted). */
  offices: Map<string, Loaded>;
  /** Offices whose config is broken now: those in `offices` keep their last good config. */
  broken: { id: string; problems: Problem[]; keptLastGood: boolean }[];
  /** When the shared files are broken nothing is swapped: `offices` is the previous set. */
  sharedErrors: Problem[];
}

export function updateOfficeSet(previous: ReadonlyMap<string, Loaded>, outcome: DeploymentOutcome): OfficeSetUpdate {
  const sharedErrors = outcome.shared.filter((p) => p.severity === 'error');
  if (sharedErrors.length > 0) return { offices: new Map(previous), broken: [], sharedErrors: outcome.shared };
  const offices = new Map<string, Loaded>();
  const broken: OfficeSetUpdate['broken'] = [];
  for (const office of [...outcome.offices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (office.loaded) {
      offices.set(office.id, office.loaded);
      continue;
    }
    const last = previous.get(office.id);
    if (last) offices.set(office.id, last);
    broken.push({ id: office.id, problems: office.problems, keptLastGood: Boolean(last) });
  }
  return { offices, broken, sharedErrors: [] };
}

/** The set as one Loaded for the runtime; settings from the most recently loaded office. */
export function combineOfficeSet(offices: ReadonlyMap<string, Loaded>, freshest?: Loaded): Loaded | null {
  const parts = [...offices.values()];
  const base = freshest ?? parts[0];
  return base ? combineLoaded(parts, base.config) : null;
}

/**
 * The runtime of a set of offices, each office's channels built on its own: an
 * office whose channels cannot be built (an edit naming a credential variable
 * that is not set) falls back to its `previous` config, or is left out, and is
 * reported — the other offices are not held back by it.
 */
export function buildOfficesRuntime(
  offices: ReadonlyMap<string, Loaded>,
  previous: ReadonlyMap<string, Loaded>,
  deps: ChannelDeps,
  generation: number,
  freshest?: Loaded,
): { runtime: Runtime | null; offices: Map<string, Loaded>; failed: { id: string; message: string; keptLastGood: boolean }[] } {
  const kept = new Map<string, Loaded>();
  const channels = new Map<string, Channel>();
  const failed: { id: string; message: string; keptLastGood: boolean }[] = [];
  for (const [id, loaded] of offices) {
    const tries = [loaded, previous.get(id)].filter((each, index, all): each is Loaded => each !== undefined && all.indexOf(each) === index);
    for (const candidate of tries) {
      try {
        const configs = candidate.config.offices.flatMap((office) => office.channels);
        // Channel ids are the ledger's: two offices may not share one (the one-office layout does not
        // prefix them with the office id, so two such offices run from the database could).
        const taken = configs.find((channel) => channels.has(channel.id));
        if (taken) throw new AppError('config-invalid', `channel id "${taken.id}" is already another office's: give each office the offices/<id>/ layout (its channels are then <id>/${taken.id})`);
        const built = createChannels(configs, deps);
        built.forEach((channel, channelId) => channels.set(channelId, channel));
        kept.set(id, candidate);
        break;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (candidate === loaded) failed.push({ id, message: error.message, keptLastGood: tries.length > 1 });
      }
    }
  }
  const combined = combineOfficeSet(kept, freshest && [...kept.values()].includes(freshest) ? freshest : undefined);
  if (!combined) return { runtime: null, offices: kept, failed };
  return {
    runtime: { config: combined.config, templates: combined.templates, ...(combined.officeTemplates ? { officeTemplates: combined.officeTemplates } : {}), channels, generation },
    offices: kept,
    failed,
  };
}
