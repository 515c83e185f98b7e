/**
 * Where a channel's access token state outlives the process and is shared
 * between instances. A driver whose tokens change at run time (Instagram
 * refreshes its own) reads the token to use from here and hands refreshed
 * tokens back. Implementations: the ledger database, the token sealed
 * (app/token-vault.ts over store/channel-tokens.ts), or one file per channel in
 * the data directory (channels/instagram/token-store.ts).
 */

export interface TokenState {
  token: string;
  obtainedAt: Date;
  /** null when the platform never told us (an env token not refreshed yet). */
  expiresAt: Date | null;
  source: 'env' | 'refreshed';
  /** sha256 of the env token this state descends from. */
  envFingerprint: string;
}

/** A state as a vault returns it: `token` is null for a token from `.env` that the vault does not keep. */
export interface StoredTokenState extends Omit<TokenState, 'token'> {
  token: string | null;
}

export type TokenRead =
  | { kind: 'none' }
  /** `retired`: fingerprints of `.env` tokens this state replaced (an instance still holding one has an old `.env`). */
  | { kind: 'stored'; state: StoredTokenState; retired: readonly string[] }
  /** A state is stored but its token cannot be opened; `reason` says why and what to do, never the token. */
  | { kind: 'unreadable'; envFingerprint: string; retired: readonly string[]; reason: string };

/** The right to refresh one token state, held by one process of the cluster. */
export interface RefreshClaim {
  /** The refresh is done (stored, or found obsolete): nobody refreshes that state again. */
  finish(): Promise<void>;
  /** The refresh failed: anyone may try again. */
  release(): Promise<void>;
}

export interface TokenVault {
  /** Where tokens are kept, for staff: `the database (encrypted)`, `data/tokens/`. */
  readonly where: string;
  read(channelId: string, now: Date): Promise<TokenRead>;
  /**
   * Records a `.env` token (`state`, source `env`) seen for the first time:
   * where nothing is stored (`replacing` null), or over the state that
   * descends from the `.env` token fingerprinted `replacing` (which becomes
   * retired). Does nothing when the stored state moved on meanwhile (another
   * instance was first): the caller reads again.
   */
  adopt(channelId: string, state: TokenState, replacing: string | null, now: Date): Promise<void>;
  /** Stores a refreshed token if the stored state is still `from`; false when it moved on. */
  saveRefreshed(channelId: string, from: TokenState, next: TokenState, now: Date): Promise<boolean>;
  /**
   * The right to refresh `from`, once across every instance sharing the vault:
   * null when another instance holds it (or already refreshed that state).
   */
  claimRefresh(channelId: string, from: TokenState, now: Date): Promise<RefreshClaim | null>;
}
