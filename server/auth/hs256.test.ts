import { sign, verify } from "hono/jwt";
import { describe, expect, it } from "vitest";
import { Hs256, JwtError } from "./hs256.js";

const secret = "a-secret-that-is-long-enough-for-hs256-0123";
const nowS = Math.floor(Date.now() / 1000);
const claims = { kind: "visitor", sub: "v1", site: "s1", iat: nowS, exp: nowS + 3600 };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const reason = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  return error instanceof JwtError ? error.reason : error;
};

describe("Hs256", () => {
  it("writes the same token hono/jwt writes, and each verifies the other's", async () => {
    const jwt = new Hs256(secret);
    const ours = await jwt.sign(claims);
    expect(ours).toBe(await sign(claims, secret, "HS256"));
    expect(await verify(ours, secret, "HS256")).toEqual(claims);
    expect(await jwt.verify(await sign(claims, secret, "HS256"))).toEqual(claims);
  });

  it("refuses a token signed with another secret or changed after signing", async () => {
    const jwt = new Hs256(secret);
    expect(await reason(jwt.verify(await new Hs256(`${secret}-other`).sign(claims)))).toBe("signature");
    const [header, , signature] = (await jwt.sign(claims)).split(".");
    expect(await reason(jwt.verify(`${header}.${b64({ ...claims, sub: "v2" })}.${signature}`))).toBe("signature");
    expect(await reason(jwt.verify(`${header}.${b64(claims)}.`))).toBe("signature");
  });

  it("checks exp, nbf and iat against the clock", async () => {
    const jwt = new Hs256(secret);
    expect(await reason(jwt.verify(await jwt.sign({ ...claims, exp: nowS - 1 })))).toBe("expired");
    expect(await reason(jwt.verify(await jwt.sign({ ...claims, exp: nowS }), nowS))).toBe("expired");
    expect(await reason(jwt.verify(await jwt.sign({ ...claims, nbf: nowS + 60 })))).toBe("not_yet_valid");
    expect(await reason(jwt.verify(await jwt.sign({ ...claims, iat: nowS + 60 })))).toBe("not_yet_valid");
    expect(await reason(jwt.verify(await jwt.sign({ ...claims, exp: "tomorrow" })))).toBe("malformed");
    expect(await jwt.verify(await jwt.sign(claims), nowS + 3599)).toEqual(claims);
  });

  it("checks the clock again for a token it has verified before", async () => {
    const jwt = new Hs256(secret);
    const token = await jwt.sign({ ...claims, nbf: nowS + 10, exp: nowS + 60 });
    expect(await jwt.verify(token, nowS + 30)).toEqual({ ...claims, nbf: nowS + 10, exp: nowS + 60 });
    expect(await reason(jwt.verify(token, nowS + 60))).toBe("expired");
    expect(await reason(jwt.verify(token, nowS))).toBe("not_yet_valid");
    // What a caller gets cannot change what the next caller is told.
    const payload = await jwt.verify(token, nowS + 30);
    expect(() => Object.assign(payload, { sub: "someone-else" })).toThrow(TypeError);
    expect((await jwt.verify(token, nowS + 30)).sub).toBe("v1");
  });

  it("accepts only an HS256 header without crit", async () => {
    const jwt = new Hs256(secret);
    const withHeader = async (header: unknown) => {
      const unsigned = `${b64(header)}.${b64(claims)}`;
      const { createHmac } = await import("node:crypto");
      return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
    };
    expect(await jwt.verify(await withHeader({ alg: "HS256" }))).toEqual(claims);
    expect(await jwt.verify(await withHeader({ alg: "HS256", typ: "application/jwt" }))).toEqual(claims);
    expect(await reason(jwt.verify(await withHeader({ alg: "none", typ: "JWT" })))).toBe("malformed");
    expect(await reason(jwt.verify(await withHeader({ alg: "HS512", typ: "JWT" })))).toBe("malformed");
    expect(await reason(jwt.verify(await withHeader({ alg: "HS256", typ: "JWE" })))).toBe("malformed");
    expect(await reason(jwt.verify(await withHeader({ alg: "HS256", crit: ["x"] })))).toBe("malformed");
  });

  it("refuses what is not a token", async () => {
    const jwt = new Hs256(secret);
    for (const token of ["", "a.b", "a.b.c.d", "!!.??.**", `${b64({ alg: "HS256" })}.bm90IGpzb24.x`, `${b64({ alg: "HS256" })}.${b64([1])}.x`]) {
      expect(await reason(jwt.verify(token))).toBe("malformed");
    }
  });
});
