import { describe, expect, it } from "vitest";
import { stripQuotedReply } from "./email-quotes.js";

describe("stripQuotedReply", () => {
  it("keeps a reply without history as it is (trimmed)", () => {
    expect(stripQuotedReply("\n  Thanks, that fixed it.\nSecond line.\n\n")).toBe("Thanks, that fixed it.\nSecond line.");
  });

  it("cuts at an English attribution line, on one line or wrapped over two (Gmail)", () => {
    expect(stripQuotedReply("Works now!\r\n\r\nOn Mon, Jan 5, 2026 at 10:02 AM Parley <reply+tkt-2026-000001.x.y@parley.test> wrote:\r\n> Hello\r\n> there")).toBe("Works now!");
    expect(stripQuotedReply("Works now!\n\nOn Mon, Jan 5, 2026 at 10:02 AM Parley Support <reply+tkt-2026-000001.abc@parley.test>\nwrote:\n\n> Hello")).toBe("Works now!");
  });

  it("cuts at French attributions (Gmail, Apple Mail, Thunderbird)", () => {
    expect(stripQuotedReply("Merci beaucoup !\n\nLe lun. 5 janv. 2026 à 10:02, Parley <support@parley.test> a écrit :\n> Bonjour")).toBe("Merci beaucoup !");
    expect(stripQuotedReply("Parfait.\n\nLe 05/01/2026 à 10:02, Parley Support a écrit:\n> Bonjour")).toBe("Parfait.");
  });

  it("cuts at Arabic attributions, bidirectional marks and all", () => {
    expect(stripQuotedReply("شكرًا، تم حل المشكلة.\n\nفي الاثنين، 5 يناير 2026 في 10:02 ص، \u200fParley Support\u200f <support@parley.test> كتب:\n> مرحبًا")).toBe(
      "شكرًا، تم حل المشكلة.",
    );
    expect(stripQuotedReply("تمام\n\n\u200fفي 5 يناير 2026، كتب Parley:\n> مرحبًا")).toBe("تمام");
  });

  it("drops `>` lines, and the standard signature with everything under it", () => {
    expect(stripQuotedReply("> earlier text\nMy answer\n\n-- \nJane Doe\nACME Corp")).toBe("My answer");
    expect(stripQuotedReply("Answer\n--\nJ.")).toBe("Answer");
  });

  it("cuts at Outlook separators and header blocks in en, fr and ar", () => {
    expect(stripQuotedReply("Yes please.\n\n-----Original Message-----\nFrom: Parley\nSent: Monday\nHello")).toBe("Yes please.");
    expect(stripQuotedReply("Oui.\n\n-----Message d'origine-----\nDe : Parley\nEnvoyé : lundi\nBonjour")).toBe("Oui.");
    expect(stripQuotedReply("نعم.\n\n-----الرسالة الأصلية-----\nمن: Parley\nأُرسل: الاثنين")).toBe("نعم.");
    expect(stripQuotedReply("Sure.\n\n________________________________\nFrom: Parley Support <support@parley.test>\nSent: Monday, January 5, 2026 10:02\nTo: jane@example.com\nSubject: [TKT-2026-000001] New reply")).toBe("Sure.");
    expect(stripQuotedReply("D'accord.\n\nDe : Parley Support <support@parley.test>\nEnvoyé : lundi 5 janvier 2026 10:02\nÀ : jane@example.com")).toBe("D'accord.");
  });

  it("cuts at our own reply marker, in any locale, even when the client does not quote", () => {
    expect(stripQuotedReply("Thanks\n##- Please type your reply above this line -##\n\nAda replied to your request")).toBe("Thanks");
    expect(stripQuotedReply("Merci\n\n##- Veuillez écrire votre réponse au-dessus de cette ligne -##\nAda a répondu")).toBe("Merci");
    expect(stripQuotedReply("##- يرجى كتابة ردك فوق هذا السطر -##\nردّ Ada على طلبك")).toBe("");
  });

  it("drops the mobile clients' one-line signatures", () => {
    expect(stripQuotedReply("On my way.\n\nSent from my iPhone")).toBe("On my way.");
    expect(stripQuotedReply("J'arrive.\n\nEnvoyé de mon iPhone\n\nLe 5 janv. 2026 à 10:02, Parley a écrit :\n> Bonjour")).toBe("J'arrive.");
  });

  it("keeps a bottom-poster's answer below the quote, but never our own unquoted email", () => {
    expect(stripQuotedReply("On Mon, Jan 5, 2026, Parley wrote:\n> Did the fix work?\n\nIt did, thanks.\n\n-- \nJane")).toBe("It did, thanks.");
    expect(stripQuotedReply("-----Original Message-----\nFrom: Parley\nSent: Monday\nAda replied to your request")).toBe("");
  });

  it("does not mistake ordinary sentences for history", () => {
    const text = "On Monday I tried again.\nLe problème persiste.\nFrom: the settings page, I clicked sync.";
    expect(stripQuotedReply(text)).toBe(text);
  });
});
