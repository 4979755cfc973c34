import { describe, expect, it } from "vitest";
import { LoginLockout } from "./login-lockout.js";

const options = { failures: 3, windowMs: 60_000, lockMs: 120_000 };

describe("login lockout", () => {
  it("locks an account on the Nth failure within the window, for lockMs, then starts afresh", () => {
    const lockout = new LoginLockout(options);
    for (let i = 0; i < 2; i++) {
      lockout.fail("a@x.test", 1_000 + i);
      expect(lockout.retryAfterS("a@x.test", 1_000 + i)).toBe(0);
    }
    lockout.fail("a@x.test", 2_000);
    expect(lockout.retryAfterS("a@x.test", 2_000)).toBe(120);
    expect(lockout.retryAfterS("a@x.test", 2_000 + 119_500)).toBe(1);
    expect(lockout.retryAfterS("a@x.test", 2_000 + 120_000)).toBe(0);
    // After the lock, one failure does not lock again at once.
    lockout.fail("a@x.test", 2_000 + 120_000);
    expect(lockout.retryAfterS("a@x.test", 2_000 + 120_001)).toBe(0);
  });

  it("forgets failures older than the window", () => {
    const lockout = new LoginLockout(options);
    lockout.fail("b@x.test", 0);
    lockout.fail("b@x.test", 1);
    lockout.fail("b@x.test", 60_000);
    expect(lockout.retryAfterS("b@x.test", 60_000)).toBe(0);
  });

  it("keeps accounts apart, and a success clears the count", () => {
    const lockout = new LoginLockout(options);
    for (let i = 0; i < 3; i++) lockout.fail("c@x.test", i);
    expect(lockout.retryAfterS("c@x.test", 10)).toBeGreaterThan(0);
    expect(lockout.retryAfterS("d@x.test", 10)).toBe(0);
    lockout.fail("d@x.test", 10);
    lockout.fail("d@x.test", 11);
    lockout.succeed("d@x.test");
    lockout.fail("d@x.test", 12);
    expect(lockout.retryAfterS("d@x.test", 12)).toBe(0);
  });

  it("sweeps accounts whose window or lock has passed", () => {
    const lockout = new LoginLockout(options);
    lockout.fail("e@x.test", 0);
    for (let i = 0; i < 3; i++) lockout.fail("f@x.test", 0);
    lockout.fail("g@x.test", 400_000);
    expect(lockout.tracked).toBe(3);
    // Past e's window and f's lock, inside g's window: only g is kept.
    expect(lockout.retryAfterS("f@x.test", 400_001)).toBe(0);
    expect(lockout.tracked).toBe(1);
    expect(lockout.retryAfterS("e@x.test", 400_001)).toBe(0);
  });
});
