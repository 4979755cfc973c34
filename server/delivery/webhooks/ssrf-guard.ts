import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Webhook URLs are typed in by admins and then fetched by the server, from inside its own
 * network: without this guard an endpoint could read the cloud metadata service or poke
 * services that trust loopback. Every address a host resolves to must be a public unicast
 * one, and the request then goes to that vetted address (never a second resolution, which
 * DNS rebinding would answer differently).
 */

/** The ranges a development machine may reach with `PARLEY_WEBHOOKS_ALLOW_PRIVATE=1`. */
const DEVELOPMENT_RANGES = new Set(["loopback", "private", "uniqueLocal"]);

/**
 * Instance metadata services. Both sit in ranges refused anyway except with the development
 * switch (fd00:ec2::254 is unique-local), so they are named here to stay refused with it too.
 */
const METADATA_ADDRESSES = new Set(["169.254.169.254", "fd00:ec2::254"]);

const RANGE_NAMES: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a unique-local address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a carrier-grade NAT address",
  multicast: "a multicast address",
  unspecified: "the unspecified address",
  broadcast: "the broadcast address",
  reserved: "a reserved or documentation address",
  teredo: "a Teredo tunnel address",
};

export interface SsrfPolicy {
  /** Development only: loopback and private targets are allowed; link-local and metadata never. */
  allowPrivate: boolean;
}

/**
 * A webhook URL the guard refused; routes answer it as a 400. The channel treats it as a
 * permanent failure, except when the name merely did not resolve (`transient`): DNS outages
 * pass, and an event must not die of one.
 */
export class WebhookTargetRefused extends Error {
  override readonly name = "WebhookTargetRefused";
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
  }
}

/** How long a name may take to resolve before the attempt gives up on it. */
const RESOLVE_TIMEOUT_MS = 10_000;

/**
 * Why `address` may not be reached, or null when it may. IPv6 forms that carry an IPv4
 * address (mapped `::ffff:a.b.c.d`, translated, NAT64, 6to4, the deprecated compatible form)
 * are judged by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback.
 */
export function addressRefusal(address: string, policy: SsrfPolicy): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  const text = parsed.toNormalizedString();
  if (METADATA_ADDRESSES.has(parsed.toString()) || METADATA_ADDRESSES.has(text)) return `${address} is a cloud metadata address`;

  if (parsed.kind() === "ipv6") {
    const embedded = embeddedIPv4(parsed as ipaddr.IPv6);
    if (embedded) {
      const inner = addressRefusal(embedded, policy);
      return inner === null ? null : `${address} carries ${embedded}: ${inner.replace(`${embedded} is `, "")}`;
    }
  }

  const range = parsed.range();
  if (range === "unicast") return null;
  if (policy.allowPrivate && DEVELOPMENT_RANGES.has(range)) return null;
  return `${address} is ${RANGE_NAMES[range] ?? `not a public unicast address (${range})`}`;
}

/** The IPv4 address an IPv6 one stands for, when it is one of the forms that carry one. */
function embeddedIPv4(address: ipaddr.IPv6): string | null {
  const parts = address.parts;
  const fromWords = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  switch (address.range()) {
    case "ipv4Mapped": // ::ffff:0:0/96
    case "rfc6145": // ::ffff:0:0:0/96
    case "rfc6052": // 64:ff9b::/96 (NAT64): a gateway would forward to the address inside
      return fromWords(parts[6]!, parts[7]!);
    case "6to4": // 2002:AABB:CCDD::/48
      return fromWords(parts[1]!, parts[2]!);
    case "unicast":
      // ::a.b.c.d, the deprecated IPv4-compatible form; `::` and `::1` have ranges of their own.
      return parts.slice(0, 6).every((part) => part === 0) ? fromWords(parts[6]!, parts[7]!) : null;
    default:
      return null;
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Resolves a host name to every address it has (node:dns lookup with `all: true`). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: HostResolver = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/** A URL whose host was resolved and vetted: connect to `address`, and to nothing else. */
export interface VettedTarget {
  url: URL;
  /** The host name as the URL names it (brackets removed), for the Host header and TLS SNI. */
  hostname: string;
  address: string;
  family: 4 | 6;
}

/**
 * Parses and vets a webhook URL: http or https only, no credentials, and every address its
 * host resolves to must pass `addressRefusal` (a name that resolves to one public and one
 * private address is refused: the resolver picks, not us). Throws `WebhookTargetRefused`.
 */
export async function vetWebhookUrl(raw: string, policy: SsrfPolicy, resolve: HostResolver = systemResolver): Promise<VettedTarget> {
  if (!URL.canParse(raw)) throw new WebhookTargetRefused("the URL cannot be parsed");
  const url = new URL(raw);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new WebhookTargetRefused(`${url.protocol} URLs are not allowed; use http or https`);
  if (url.username || url.password) throw new WebhookTargetRefused("credentials do not belong in the URL");
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");

  let addresses: ResolvedAddress[];
  if (isIP(hostname)) {
    addresses = [{ address: hostname, family: isIP(hostname) === 6 ? 6 : 4 }];
  } else {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      // getaddrinfo cannot be cancelled; we only stop waiting for it.
      timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { code: "ETIMEOUT" })), RESOLVE_TIMEOUT_MS);
    });
    try {
      addresses = await Promise.race([resolve(hostname), deadline]);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new WebhookTargetRefused(`${hostname} does not resolve${code ? ` (${code})` : ""}`, true);
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) throw new WebhookTargetRefused(`${hostname} does not resolve`, true);
  }

  for (const { address } of addresses) {
    const refusal = addressRefusal(address, policy);
    // Every refusal starts with the address: "10.1.2.3 is a private address".
    if (refusal) throw new WebhookTargetRefused(hostname === address ? refusal : `${hostname} resolves to ${address}, which ${refusal.slice(address.length + 1)}`);
  }
  const chosen = addresses[0]!;
  return { url, hostname, address: chosen.address, family: chosen.family };
}
