import { request, type IncomingHttpHeaders } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The bytes as they crossed the wire (fetch would have decoded them). */
  body: Buffer;
  /** The body after undoing its Content-Encoding. */
  decoded(): Buffer;
}

/** A GET (or HEAD) with node:http, which leaves Content-Encoding alone, so tests see what was served. */
export function rawGet(url: string, headers: Record<string, string> = {}, method: "GET" | "HEAD" = "GET"): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        const encoding = res.headers["content-encoding"];
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          decoded() {
            if (encoding === "gzip") return gunzipSync(body);
            if (encoding === "br") return brotliDecompressSync(body);
            if (encoding === undefined) return body;
            throw new Error(`unexpected Content-Encoding ${encoding}`);
          },
        });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** The tokens of a Vary header, lower-cased. */
export const varyOf = (reply: RawReply) => (reply.headers.vary ?? "").split(",").map((token) => token.trim().toLowerCase()).filter(Boolean);
