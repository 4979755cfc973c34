import type { Context } from "hono";
import { brotliCompress, constants, gzip } from "node:zlib";

/**
 * A static body (the widget, the demo page, Swagger UI) kept in memory with its gzip and
 * brotli forms, each made once on first request, and served by `Accept-Encoding` with a
 * strong ETag per representation, `Vary: Accept-Encoding` and its exact `Content-Length`.
 * node:zlib is used because Node, Bun and Deno all implement it, brotli included.
 */
export type ContentCoding = "br" | "gzip" | "identity";

/** Ties between equally weighted codings go to the smallest output. */
const PREFERENCE: readonly ContentCoding[] = ["br", "gzip", "identity"];
/**
 * Brotli's best quality costs about 2 ms per KB: fine for the widget (the panel is ~90 KB),
 * seconds for Swagger UI's 1.7 MB bundle, which quality 9 compresses in ~0.3 s for 9 % more bytes.
 */
const BROTLI_BEST_UP_TO = 256 * 1024;

/**
 * The codings a request accepts, best first, by RFC 9110's Accept-Encoding rules: q-values,
 * `*` for any coding not named, identity acceptable unless refused (`identity;q=0`, or `*;q=0`
 * without an identity entry). Unweighted identity comes last, after any compression the client
 * takes. Without the header only identity is offered (old clients and tools that cannot
 * decode). When everything is refused identity is still answered: an unencoded body beats none.
 */
export function acceptedCodings(header: string | undefined): ContentCoding[] {
  if (header === undefined || header.trim() === "") return ["identity"];
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((param) => param.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0);
  }
  const star = weights.get("*");
  const explicitIdentity = weights.get("identity");
  // Unweighted identity sorts below every real weight, but stays acceptable.
  const weightOf = (coding: ContentCoding) => (coding === "identity" ? (explicitIdentity ?? (star === 0 ? 0 : Number.MIN_VALUE)) : (weights.get(coding) ?? star ?? 0));
  const accepted = PREFERENCE.filter((coding) => weightOf(coding) > 0).sort((a, b) => weightOf(b) - weightOf(a) || PREFERENCE.indexOf(a) - PREFERENCE.indexOf(b));
  return accepted.length ? accepted : ["identity"];
}

/** Whether an `If-None-Match` header matches this entity tag (weak comparison, as RFC 9110 asks for GET). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => opaque(tag) === opaque(etag));
}

interface Representation {
  coding: ContentCoding;
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

const copy = (bytes: Uint8Array) => new Uint8Array(bytes); // zlib hands out pooled Buffers; keep our own bytes

function compress(coding: "br" | "gzip", body: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Uint8Array) => (error ? reject(error) : resolve(result));
    if (coding === "gzip") gzip(body, { level: 9 }, done);
    else
      brotliCompress(
        body,
        {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: body.length <= BROTLI_BEST_UP_TO ? 11 : 9,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          },
        },
        done,
      );
  });
}

export class EncodedAsset {
  readonly #identity: Representation;
  readonly #encoded = new Map<"br" | "gzip", Promise<Representation | null>>();

  private constructor(
    body: Uint8Array<ArrayBuffer>,
    /** The identity body's tag; encoded forms append their coding (a strong tag per representation). */
    readonly etag: string,
    readonly contentType: string,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    this.#identity = { coding: "identity", body, etag };
  }

  /** Wraps a body; the ETag is a SHA-256 of it, so equal bytes always carry equal tags. */
  static async of(content: string | Uint8Array, contentType: string, log: (message: string, error?: unknown) => void): Promise<EncodedAsset> {
    const body = typeof content === "string" ? new TextEncoder().encode(content) : copy(content);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    const etag = `"${Array.from(digest.subarray(0, 12), (byte) => byte.toString(16).padStart(2, "0")).join("")}"`;
    return new EncodedAsset(body, etag, contentType, log);
  }

  get bytes(): Uint8Array<ArrayBuffer> {
    return this.#identity.body;
  }

  /**
   * The body in one coding, compressed on first use and kept; null when that coding would not
   * make it smaller, or when compressing failed (logged once; the caller falls back).
   */
  encoded(coding: ContentCoding): Promise<Representation | null> {
    if (coding === "identity") return Promise.resolve(this.#identity);
    let pending = this.#encoded.get(coding);
    if (!pending) {
      pending = compress(coding, this.#identity.body).then(
        (bytes) => (bytes.length < this.#identity.body.length ? { coding, body: copy(bytes), etag: `${this.etag.slice(0, -1)}-${coding}"` } : null),
        (error: unknown) => {
          this.log(`${coding} compression failed; answering without it`, error);
          return null;
        },
      );
      this.#encoded.set(coding, pending);
    }
    return pending;
  }

  /** The best representation this request accepts. */
  async negotiate(acceptEncoding: string | undefined): Promise<Representation> {
    for (const coding of acceptedCodings(acceptEncoding)) {
      const representation = await this.encoded(coding);
      if (representation) return representation;
    }
    return this.#identity;
  }
}

/**
 * Answers a GET (or HEAD) with the asset in the best coding the client accepts, or 304 when
 * its `If-None-Match` names that representation. `headers` are sent on both.
 */
export async function sendAsset(c: Context, asset: EncodedAsset, headers: Record<string, string> = {}): Promise<Response> {
  const chosen = await asset.negotiate(c.req.header("accept-encoding"));
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header("ETag", chosen.etag);
  // Appended: whatever else the response varies on (CORS adds Origin) stays.
  c.header("Vary", "Accept-Encoding", { append: true });
  if (matchesIfNoneMatch(c.req.header("if-none-match"), chosen.etag)) return c.body(null, 304);
  c.header("Content-Type", asset.contentType);
  c.header("Content-Length", String(chosen.body.length));
  if (chosen.coding !== "identity") c.header("Content-Encoding", chosen.coding);
  return c.body(chosen.body, 200);
}
