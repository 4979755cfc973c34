import { describe, expect, it } from "vitest";
import { parseInboundMail } from "./inbound-mail.js";

const mail = (headers: string[], body: string, type = "text/plain; charset=utf-8") =>
  Buffer.from([...headers, `Content-Type: ${type}`, "MIME-Version: 1.0", "", body].join("\r\n"));

describe("parseInboundMail", () => {
  it("collects the sender and every recipient header, lower-cased and unique", async () => {
    const parsed = await parseInboundMail(
      mail(
        ["Delivered-To: Reply+TKT-2026-000001.x.y@Parley.test", "X-Original-To: <support+pk_demo@parley.test>", 'From: "Jane Doe" <Jane@Example.com>', "To: a@x.test, B <b@x.test>", "Cc: a@x.test", "Subject: Re: help", "Message-ID: <m1@x.test>"],
        "Hello",
      ),
    );
    expect(parsed).toMatchObject({ from: "jane@example.com", fromName: "Jane Doe", subject: "Re: help", messageId: "<m1@x.test>", reply: "Hello", automatic: false });
    expect(parsed.recipients.sort()).toEqual(["a@x.test", "b@x.test", "reply+tkt-2026-000001.x.y@parley.test", "support+pk_demo@parley.test"]);
  });

  it("reads an HTML-only mail as text and strips its quote", async () => {
    const parsed = await parseInboundMail(mail(["From: j@x.test", "To: a@x.test"], "<div>Fixed, thanks!</div><div><br></div><div>On Mon, Jan 5, 2026, Parley wrote:</div><blockquote>Hello</blockquote>", "text/html; charset=utf-8"));
    expect(parsed.reply).toBe("Fixed, thanks!");
  });

  it("decodes encoded words and quoted-printable bodies (French, Arabic)", async () => {
    const parsed = await parseInboundMail(
      Buffer.from(
        ["From: =?UTF-8?B?2YbZiNix?= <noor@x.test>", "To: a@x.test", "Subject: =?UTF-8?Q?R=C3=A9ponse?=", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", "Merci, =C3=A7a marche.", "", "Le lun. 5 janv. 2026 =C3=A0 10:02, Parley a =C3=A9crit :", "> Bonjour"].join("\r\n"),
      ),
    );
    expect(parsed).toMatchObject({ fromName: "نور", subject: "Réponse", reply: "Merci, ça marche." });
  });

  it("flags robots: Auto-Submitted, Precedence, list mail and mailer daemons", async () => {
    const robot = async (header: string, from = "j@x.test") => (await parseInboundMail(mail([`From: ${from}`, "To: a@x.test", header], "Away"))).automatic;
    expect(await robot("Auto-Submitted: auto-replied")).toBe(true);
    expect(await robot("Auto-Submitted: no")).toBe(false);
    expect(await robot("Precedence: bulk")).toBe(true);
    expect(await robot("List-Id: <news.x.test>")).toBe(true);
    expect(await robot("X-Autoreply: yes")).toBe(true);
    expect(await robot("X-Mailer: Thunderbird", "MAILER-DAEMON@x.test")).toBe(true);
    expect(await robot("X-Mailer: Thunderbird")).toBe(false);
  });
});
