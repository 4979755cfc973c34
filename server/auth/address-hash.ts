const encoder = new TextEncoder();

/**
 * A keyed digest of a network address, so that rules can tell two requests from one address
 * apart from others without the database ever holding the address. Keyed (a plain hash of the
 * 2³² IPv4 addresses is reversed in seconds) with a key derived from the server's secret and
 * imported once.
 */
export function createAddressHasher(secret: string): (address: string) => Promise<string> {
  const key = crypto.subtle.importKey("raw", encoder.encode(`parley address hash\n${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return async (address) => {
    const digest = new Uint8Array(await crypto.subtle.sign("HMAC", await key, encoder.encode(address)));
    // 128 bits: collisions stay absurd, and the column stays small.
    return Array.from(digest.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  };
}
