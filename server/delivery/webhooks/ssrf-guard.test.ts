import { describe, expect, it } from "vitest";
import { addressRefusal, vetWebhookUrl, WebhookTargetRefused, type HostResolver } from "./ssrf-guard.js";

const strict = { allowPrivate: false };
const development = { allowPrivate: true };

const refused = (url: string, policy = strict, resolve?: HostResolver) => vetWebhookUrl(url, policy, resolve).then(
  () => null,
  (error: unknown) => {
    expect(error).toBeInstanceOf(WebhookTargetRefused);
    return (error as Error).message;
  },
);

describe("addressRefusal", () => {
  it("refuses loopback, private, link-local, CGNAT, unique-local, multicast, unspecified, broadcast and documentation addresses", () => {
    const cases: [string, RegExp][] = [
      ["127.0.0.1", /loopback/],
      ["127.8.9.10", /loopback/],
      ["::1", /loopback/],
      ["10.0.0.1", /private/],
      ["172.16.5.4", /private/],
      ["192.168.1.1", /private/],
      ["169.254.169.254", /metadata/],
      ["169.254.1.1", /link-local/],
      ["fe80::1", /link-local/],
      ["100.64.0.1", /carrier-grade NAT/],
      ["100.127.255.254", /carrier-grade NAT/],
      ["fd00::1", /unique-local/],
      ["fc00::1", /unique-local/],
      ["fd00:ec2::254", /metadata/],
      ["224.0.0.1", /multicast/],
      ["ff02::1", /multicast/],
      ["0.0.0.0", /unspecified/],
      ["::", /unspecified/],
      ["255.255.255.255", /broadcast/],
      ["192.0.2.10", /documentation/],
      ["198.51.100.7", /documentation/],
      ["2001:db8::1", /documentation/],
    ];
    for (const [address, reason] of cases) expect([address, addressRefusal(address, strict)]).toEqual([address, expect.stringMatching(reason)]);
  });

  it("judges IPv6 forms that carry an IPv4 address by the address inside", () => {
    expect(addressRefusal("::ffff:127.0.0.1", strict)).toMatch(/carries 127\.0\.0\.1: a loopback address/);
    expect(addressRefusal("::ffff:7f00:1", strict)).toMatch(/loopback/);
    expect(addressRefusal("::ffff:169.254.169.254", development)).toMatch(/metadata/);
    expect(addressRefusal("::ffff:10.0.0.1", strict)).toMatch(/private/);
    expect(addressRefusal("64:ff9b::a00:1", strict)).toMatch(/private/);
    expect(addressRefusal("2002:7f00:1::1", strict)).toMatch(/loopback/);
    expect(addressRefusal("::127.0.0.1", strict)).toMatch(/loopback/);
    expect(addressRefusal("::ffff:93.184.215.14", strict)).toBeNull();
  });

  it("allows public unicast addresses", () => {
    for (const address of ["93.184.215.14", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4007:80e::200e"]) {
      expect([address, addressRefusal(address, strict)]).toEqual([address, null]);
    }
  });

  it("with the development switch allows loopback and private targets, never link-local, metadata or CGNAT", () => {
    for (const address of ["127.0.0.1", "::1", "10.0.0.1", "192.168.1.20", "fd00::1", "::ffff:127.0.0.1"]) {
      expect([address, addressRefusal(address, development)]).toEqual([address, null]);
    }
    expect(addressRefusal("169.254.169.254", development)).toMatch(/metadata/);
    expect(addressRefusal("fd00:ec2::254", development)).toMatch(/metadata/);
    expect(addressRefusal("fe80::1", development)).toMatch(/link-local/);
    expect(addressRefusal("169.254.10.10", development)).toMatch(/link-local/);
    expect(addressRefusal("100.64.0.1", development)).toMatch(/carrier-grade NAT/);
    expect(addressRefusal("0.0.0.0", development)).toMatch(/unspecified/);
  });
});

describe("vetWebhookUrl", () => {
  it("refuses literal addresses in URLs, in every spelling the URL parser accepts", async () => {
    expect(await refused("http://127.0.0.1/hook")).toMatch(/loopback/);
    expect(await refused("http://[::1]:8080/hook")).toMatch(/loopback/);
    expect(await refused("http://10.0.0.1/")).toMatch(/private/);
    expect(await refused("http://169.254.169.254/latest/meta-data/")).toMatch(/metadata/);
    expect(await refused("http://[::ffff:127.0.0.1]/")).toMatch(/loopback/);
    expect(await refused("http://100.64.1.2/")).toMatch(/carrier-grade NAT/);
    expect(await refused("http://[fd00::1]/")).toMatch(/unique-local/);
    // WHATWG URL turns these into 127.0.0.1 before we see them.
    expect(await refused("http://2130706433/")).toMatch(/loopback/);
    expect(await refused("http://0x7f.1/")).toMatch(/loopback/);
  });

  it("refuses a host name that resolves to loopback (localhost, through the system resolver)", async () => {
    expect(await refused("http://localhost:9999/hook")).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is a loopback address$/);
  });

  it("refuses a name when any one of its addresses is refused, since the connection could pick it", async () => {
    const mixed: HostResolver = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ];
    expect(await refused("https://hooks.example.com/", strict, mixed)).toMatch(/^hooks\.example\.com resolves to 10\.1\.2\.3, which is a private address$/);
    const nothing: HostResolver = async () => [];
    expect(await refused("https://hooks.example.com/", strict, nothing)).toMatch(/does not resolve/);
  });

  it("marks a name that does not resolve as transient (worth retrying), and a refused address as not", async () => {
    const failing: HostResolver = async () => {
      throw Object.assign(new Error("getaddrinfo EAI_AGAIN"), { code: "EAI_AGAIN" });
    };
    const outage = await vetWebhookUrl("https://hooks.example.com/", strict, failing).catch((error: unknown) => error as WebhookTargetRefused);
    expect(outage).toMatchObject({ message: "hooks.example.com does not resolve (EAI_AGAIN)", transient: true });
    const loopback = await vetWebhookUrl("http://127.0.0.1/", strict).catch((error: unknown) => error as WebhookTargetRefused);
    expect(loopback).toMatchObject({ transient: false });
  });

  it("refuses other schemes and credentials in the URL", async () => {
    expect(await refused("ftp://example.com/")).toMatch(/ftp: URLs are not allowed/);
    expect(await refused("file:///etc/passwd")).toMatch(/file: URLs are not allowed/);
    expect(await refused("https://user:pw@example.com/")).toMatch(/credentials/);
    expect(await refused("not a url")).toMatch(/cannot be parsed/);
  });

  it("answers the vetted address to connect to, keeping the name for Host and SNI", async () => {
    const resolver: HostResolver = async (name) => (name === "hooks.example.com" ? [{ address: "2606:4700::6810:84e5", family: 6 }] : []);
    const target = await vetWebhookUrl("https://hooks.example.com:8443/in?x=1", strict, resolver);
    expect(target).toMatchObject({ hostname: "hooks.example.com", address: "2606:4700::6810:84e5", family: 6 });
    expect(target.url.port).toBe("8443");
  });

  it("with the development switch reaches loopback by name and by address, still never metadata", async () => {
    expect(await refused("http://localhost:9999/", development)).toBeNull();
    expect(await refused("http://127.0.0.1:9999/", development)).toBeNull();
    expect(await refused("http://[::1]:9999/", development)).toBeNull();
    expect(await refused("http://10.0.0.1/", development)).toBeNull();
    expect(await refused("http://169.254.169.254/", development)).toMatch(/metadata/);
    expect(await refused("http://[fd00:ec2::254]/", development)).toMatch(/metadata/);
  });
});
