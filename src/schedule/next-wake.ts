/**
 * Pure: when should the scheduler wake next?
 *
 * Long waits are cut into chunks (30 s live) and re-checked on waking: machines
 * sleep, clocks jump (NTP), and a setTimeout of days can overflow. A virtual
 * clock passes `Infinity` and jumps straight to the next event.
 */
export interface WakeInputs {
  now: Date;
  /** Earliest due time of a post ready to publish (or a retry). */
  nextDue: Date | null;
  /** Earliest due time of a post not rendered yet. */
  nextToRender: Date | null;
  /** Posts are rendered this long before they are due. */
  renderAheadMs: number;
  /** The next periodic re-plan. */
  nextReplan: Date | null;
  maxChunkMs: number;
}

export function nextWakeAt(inputs: WakeInputs): Date {
  const candidates: number[] = [];
  if (inputs.nextDue) candidates.push(inputs.nextDue.getTime());
  if (inputs.nextToRender) candidates.push(inputs.nextToRender.getTime() - inputs.renderAheadMs);
  if (inputs.nextReplan) candidates.push(inputs.nextReplan.getTime());
  const now = inputs.now.getTime();
  const earliest = candidates.length > 0 ? Math.min(...candidates) : Infinity;
  const capped = Math.min(Math.max(earliest, now), now + inputs.maxChunkMs);
  if (!Number.isFinite(capped)) throw new RangeError('nothing to wait for and no chunk limit: the scheduler would sleep forever');
  return new Date(capped);
}
