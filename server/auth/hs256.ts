/**
 * HS256 JSON Web Tokens with the key prepared once per secret.
 *
 * `hono/jwt` imports the WebCrypto key on every call (tens of microseconds each, on every
 * authenticated request). Here the secret becomes a signer once: `node:crypto`'s HMAC where
 * the runtime has it (Node, Bun and Deno all do, and it answers synchronously), or a
 * WebCrypto key imported once where it does not. The tokens are the same bytes hono's
 * `sign()` writes, and the checks the same as its `verify()` (alg, typ, crit, exp, nbf, iat).
 */

type Mac = (data: string) => Uint8Array | Promise<Uint8Array>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Why a token was refused; `expired` is told apart so callers can say "sign in again". */
export class JwtError extends Error {
  constructor(readonly reason: "malformed" | "signature" | "expired" | "not_yet_valid") {
    super(`the token is not valid (${reason})`);
    this.name = "JwtError";
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new JwtError("malformed");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const HEADER = base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));

/** Compares in time that depends only on the length, so a forged signature learns nothing from timing. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

async function macFor(secret: string): Promise<Mac> {
  let nodeCrypto: typeof import("node:crypto") | undefined;
  try {
    nodeCrypto = await import("node:crypto");
  } catch (error) {
    // A runtime without node: modules (Workers without nodejs_compat) signs with WebCrypto below.
    if (!(error instanceof Error)) throw error;
  }
  if (nodeCrypto?.createHmac) {
    const { createHmac } = nodeCrypto;
    return (data) => createHmac("sha256", secret).update(data).digest();
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return async (data) => new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data)));
}

function isHeader(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const header = value as Record<string, unknown>;
  const typ = header.typ;
  const typOk = typ === undefined || (typeof typ === "string" && typ.toLowerCase().replace(/^application\//, "") === "jwt");
  return header.alg === "HS256" && typOk && !("crit" in header);
}

/** Tokens whose signature was checked, kept so that a client's next request skips the MAC and the decoding. */
const VERIFIED_CACHE_SIZE = 4096;

/** Signs and verifies HS256 tokens with one secret, prepared on first use. */
export class Hs256 {
  #mac: Promise<Mac> | undefined;
  // A token's signature under this secret never changes, so a checked one stays checked; its time
  // claims are still checked on every use, and revocation (token epochs) is the caller's.
  readonly #verified = new Map<string, Readonly<Record<string, unknown>>>();

  constructor(private readonly secret: string) {}

  #macOnce(): Promise<Mac> {
    this.#mac ??= macFor(this.secret);
    return this.#mac;
  }

  async sign(payload: Record<string, unknown>): Promise<string> {
    const mac = await this.#macOnce();
    const unsigned = `${HEADER}.${base64url(encoder.encode(JSON.stringify(payload)))}`;
    return `${unsigned}.${base64url(await mac(unsigned))}`;
  }

  /** The payload of a token this secret signed and whose time claims hold at `nowS` (seconds). */
  async verify(token: string, nowS = Math.floor(Date.now() / 1000)): Promise<Readonly<Record<string, unknown>>> {
    const known = this.#verified.get(token);
    if (known) return checkTimes(known, nowS);
    const claims = await this.#check(token);
    if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value!);
    this.#verified.set(token, claims);
    return checkTimes(claims, nowS);
  }

  /** The payload of a token whose form and signature hold, frozen so that no caller changes what the cache keeps. */
  async #check(token: string): Promise<Readonly<Record<string, unknown>>> {
    const parts = token.split(".");
    if (parts.length !== 3) throw new JwtError("malformed");
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    let header: unknown;
    let payload: unknown;
    try {
      // Our own tokens all carry the same header; only another one needs reading.
      header = headerPart === HEADER ? { alg: "HS256", typ: "JWT" } : JSON.parse(decoder.decode(fromBase64url(headerPart)));
      payload = JSON.parse(decoder.decode(fromBase64url(payloadPart)));
    } catch {
      // Not base64url or not JSON: either way the token is not one of ours.
      throw new JwtError("malformed");
    }
    if (!isHeader(header) || typeof payload !== "object" || payload === null || Array.isArray(payload)) throw new JwtError("malformed");

    const mac = await this.#macOnce();
    // Compared as text: the encoding of a 32-byte MAC is unique (no padding, no spare bits set).
    const expected = base64url(await mac(`${headerPart}.${payloadPart}`));
    if (!sameText(expected, signaturePart)) throw new JwtError("signature");

    const claims = payload as Record<string, unknown>;
    // Malformed time claims are refused before the token is ever cached.
    for (const name of ["exp", "nbf", "iat"]) timeClaim(claims, name);
    return Object.freeze(claims);
  }
}

function timeClaim(claims: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new JwtError("malformed");
  return value;
}

function checkTimes(claims: Readonly<Record<string, unknown>>, nowS: number): Readonly<Record<string, unknown>> {
  const exp = timeClaim(claims, "exp");
  const nbf = timeClaim(claims, "nbf");
  const iat = timeClaim(claims, "iat");
  if (exp !== undefined && exp <= nowS) throw new JwtError("expired");
  if (nbf !== undefined && nbf > nowS) throw new JwtError("not_yet_valid");
  if (iat !== undefined && iat > nowS) throw new JwtError("not_yet_valid");
  return claims;
}
