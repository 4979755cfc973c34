/** Failed sign-ins an account may have within `windowMs` before it is locked for `lockMs`. */
export const LOGIN_LOCKOUT = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

export interface LockoutOptions {
  failures: number;
  windowMs: number;
  lockMs: number;
}

interface Account {
  /** When the first failure of the current window happened (ms). */
  windowStart: number;
  failures: number;
  /** Set once `failures` reaches the limit: no attempt is even checked before then. */
  lockedUntil: number | null;
}

/**
 * Per-account login lockout, kept in process memory like the rate limiter (one machine).
 *
 * Accounts are keyed by the email as typed (lower-cased), whether or not an agent has it:
 * an unknown email collects failures and gets locked exactly like a known one, so neither the
 * answers nor the lockout tell which emails exist. While locked, attempts are refused before
 * the password is checked, correct or not, so guessing gains nothing. The per-address rate
 * limit on the route bounds how many accounts one address can make this remember.
 */
export class LoginLockout {
  readonly #accounts = new Map<string, Account>();
  #lastSweep = 0;

  constructor(private readonly options: LockoutOptions = LOGIN_LOCKOUT) {}

  /** Whole seconds until `email` may try again; 0 when it may try now. */
  retryAfterS(email: string, now: number): number {
    this.#sweep(now);
    const lockedUntil = this.#accounts.get(email)?.lockedUntil;
    if (lockedUntil == null || lockedUntil <= now) return 0;
    return Math.max(1, Math.ceil((lockedUntil - now) / 1000));
  }

  /** Counts a failed attempt; the one that reaches the limit starts the lock. */
  fail(email: string, now: number): void {
    let account = this.#accounts.get(email);
    if (!account || this.#expired(account, now)) {
      account = { windowStart: now, failures: 0, lockedUntil: null };
      this.#accounts.set(email, account);
    }
    account.failures += 1;
    if (account.failures >= this.options.failures) account.lockedUntil = now + this.options.lockMs;
  }

  /** How many accounts are remembered (failures or a lock still in force, or not yet swept). */
  get tracked(): number {
    return this.#accounts.size;
  }

  /** A successful sign-in starts the account afresh. */
  succeed(email: string): void {
    this.#accounts.delete(email);
  }

  #expired(account: Account, now: number): boolean {
    if (account.lockedUntil !== null) return account.lockedUntil <= now;
    return now - account.windowStart >= this.options.windowMs;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.options.windowMs) return;
    this.#lastSweep = now;
    for (const [email, account] of this.#accounts) if (this.#expired(account, now)) this.#accounts.delete(email);
  }
}
