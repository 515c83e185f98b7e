/** The ledger: open it, sync the plan into it, claim and record posts. */
export { openStore, SQLITE_FILE, type OpenStoreOptions, type Store, type StoreDialect } from './open';
export { syncPlan } from './sync-plan';
export { claimDue, markAttemptPhase, markPublished, markFailed, releaseExpiredLeases, releaseAllLeases, expireOverdue, LeaseLostError, type ClaimKey } from './claims';
export {
  listToRender,
  markRendered,
  resetRendered,
  nextWake,
  listPosts,
  getPostHistory,
  getAttempts,
  countByState,
  type PostFilter,
  type AttemptRecord,
} from './ledger';
export {
  approvePosts,
  revokeApproval,
  listAwaitingApproval,
  getApprovalHistory,
  isApproved,
  PostActionRefusedError,
  type ApprovalRecord,
  type ApprovalRequest,
  type ApprovalOutcome,
  type AwaitingApproval,
} from './approvals';
export { skipPost, retryPost, markPostedByHand, markNotPosted, getPostActions, type PostAction, type PostActionRecord, type PostActionResult } from './post-actions';
export { setRuntimeStatus, getRuntimeStatus, type RuntimeStatusKey } from './runtime-status';
export { acquireDataDirLock, LOCK_FILE, readDataDirLock, type DataDirLock, type DataDirLockStatus } from './lock';
export * from './types';
