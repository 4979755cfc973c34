import { describe, expect, it } from "vitest";
import { EMPTY_PROFILE, mergeProfile, ticketContactVerified, ticketCustomer } from "./visitor-profile.js";

const signed = (value: string) => ({ value, signed: true });
const unsigned = (value: string) => ({ value, signed: false });

describe("visitor profile", () => {
  it("flags each field by whether the signature covered it", () => {
    expect(mergeProfile(EMPTY_PROFILE, { name: unsigned("Mia"), email: signed("mia@x.test") })).toEqual({
      name: "Mia",
      nameVerified: false,
      email: "mia@x.test",
      emailVerified: true,
    });
  });

  it("keeps unsent fields, keeps a vouched-for value stated again unsigned, and replaces it with a different one unverified", () => {
    const stored = { name: "Mia", nameVerified: true, email: "mia@x.test", emailVerified: true };
    expect(mergeProfile(stored, {})).toEqual(stored);
    expect(mergeProfile(stored, { email: unsigned("mia@x.test") })).toEqual(stored);
    expect(mergeProfile(stored, { email: unsigned("ceo@x.test"), name: unsigned("The CEO") })).toEqual({
      name: "The CEO",
      nameVerified: false,
      email: "ceo@x.test",
      emailVerified: false,
    });
  });

  it("lets a pre-chat form fill only what is not verified, and vouches for a ticket's contact only while it is the verified one", () => {
    const profile = { name: "Mia", nameVerified: false, email: "mia@x.test", emailVerified: true };
    expect(ticketCustomer(profile, { name: "M.", email: "other@x.test" })).toEqual({ name: "M.", email: "mia@x.test" });
    expect(ticketContactVerified(profile, { name: "Mia", email: "mia@x.test" })).toEqual({ nameVerified: false, emailVerified: true });
    expect(ticketContactVerified(profile, { name: "Mia", email: "old@x.test" })).toEqual({ nameVerified: false, emailVerified: false });
    expect(ticketContactVerified({ ...EMPTY_PROFILE, emailVerified: true }, { name: null, email: null }).emailVerified).toBe(false);
  });
});
