/**
 * An AbortSignal that aborts after `ms` with a TimeoutError (as
 * `AbortSignal.timeout` does), or earlier when `outer` aborts.
 *
 * Why not `AbortSignal.any([outer, AbortSignal.timeout(ms)])`: on Node 20 a
 * composite signal holds its sources weakly and the timeout's timer holds its
 * signal weakly too, so a garbage collection before the deadline drops the
 * timeout and the request it guards waits forever (nodejs/node#57736; seen
 * here as an account check that never gave up on a silent X). Here the timer
 * holds the controller strongly until it fires or the signal aborts.
 */
export function deadlineSignal(ms: number, outer?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  if (outer?.aborted) {
    controller.abort(outer.reason);
    return controller.signal;
  }
  const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
  timer.unref();
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  // The listener goes away with the deadline, so a long-lived outer signal does not collect one per call.
  outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true, signal: controller.signal });
  return controller.signal;
}

/** True when `signal` aborted because its deadline passed (not because someone stopped it). */
export function isDeadlineReason(reason: unknown): boolean {
  // By name, not instanceof: a DOMException from another realm (a test VM) is still one.
  return typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
}
