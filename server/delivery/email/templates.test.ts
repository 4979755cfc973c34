import { describe, expect, it } from "vitest";
import type { EmailLocale, EmailTemplate } from "../../domain/notification-rules.js";
import { escapeHtml, renderEmail, type EmailLinks } from "./templates.js";

const links: EmailLinks = {
  conversation: "https://help.example.test/v1/email/conversation?token=a.b",
  rating: "https://help.example.test/v1/email/rating?token=c.d&x=1",
  unsubscribe: "https://help.example.test/v1/email/unsubscribe?token=e.f",
  inbox: "https://help.example.test/inbox",
};
const hostile = '<img src=x onerror="alert(1)"> & \'quotes\'';
const vars = { number: "TKT-2026-000001", subject: hostile, customerName: hostile, agentName: hostile, body: hostile, resolution: hostile, message: hostile, priority: "high", fromTier: 1, toTier: 2, reason: hostile, seq: 1, transcript: JSON.stringify([{ at: 0, sender: "agent", name: hostile, body: hostile }]), omitted: 0, closed: 0 };
const templates: EmailTemplate[] = ["ticket-created", "agent-replied", "ticket-resolved", "ticket-closed", "ticket-assigned", "ticket-escalated", "rating-reminder", "chat-transcript"];
const locales: EmailLocale[] = ["en", "fr", "ar"];

describe("renderEmail", () => {
  it("escapes every variable in the HTML of every template and locale, and keeps them as typed in the text", () => {
    for (const template of templates) {
      for (const locale of locales) {
        const audience = template.startsWith("ticket-a") || template === "ticket-escalated" ? "agent" : "customer";
        const { html, text, subject } = renderEmail({ template, locale, audience, vars }, links);
        const label = `${template}/${locale}`;
        expect(html, label).not.toContain("<img");
        expect(html, label).not.toContain('onerror="');
        expect(html, label).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;");
        // Only our own markup: every tag in the HTML is one the renderer writes.
        const tags = new Set([...html.matchAll(/<\/?([a-z!]+)/g)].map((m) => m[1]));
        expect([...tags].every((tag) => ["!doctype", "html", "head", "meta", "title", "body", "p", "blockquote", "a", "div", "span", "bdi"].includes(tag!)), `${label}: ${[...tags]}`).toBe(true);
        expect(text, label).toContain(hostile);
        expect(subject, label).toContain("TKT-2026-000001");
        expect(subject, label).not.toMatch(/[\r\n]/);
      }
    }
  });

  it("marks Arabic right to left and the others left to right", () => {
    expect(renderEmail({ template: "ticket-created", locale: "ar", audience: "customer", vars }, links).html).toMatch(/<html lang="ar" dir="rtl">[\s\S]*<body dir="rtl"/);
    expect(renderEmail({ template: "ticket-created", locale: "fr", audience: "customer", vars }, links).html).toContain('<html lang="fr" dir="ltr">');
  });

  it("gives customers the reply marker, the reply hint, the unsubscribe link and the template's link; agents the inbox only", () => {
    const resolved = renderEmail({ template: "ticket-resolved", locale: "en", audience: "customer", vars }, links);
    expect(resolved.text.split("\n")[0]).toBe("##- Please type your reply above this line -##");
    expect(resolved.text).toContain(`Rate our help: ${links.rating}`);
    expect(resolved.text).toContain(`Stop these emails: ${links.unsubscribe}`);
    expect(resolved.html).toContain('href="https://help.example.test/v1/email/rating?token=c.d&amp;x=1"');
    const assigned = renderEmail({ template: "ticket-assigned", locale: "en", audience: "agent", vars }, { ...links, unsubscribe: null });
    expect(assigned.text).not.toContain("##-");
    expect(assigned.text).toContain(`Open the inbox: ${links.inbox}`);
  });

  it("reads well without a customer name and without the optional quote", () => {
    const bare = { ...vars, customerName: null, resolution: null, subject: "Sync" };
    expect(renderEmail({ template: "ticket-created", locale: "en", audience: "customer", vars: bare }, links).text).toContain("Hello there, we have received");
    expect(renderEmail({ template: "ticket-created", locale: "fr", audience: "customer", vars: bare }, links).text).toContain("Bonjour, nous avons bien reçu");
    expect(renderEmail({ template: "ticket-created", locale: "ar", audience: "customer", vars: bare }, links).text).toContain("مرحبًا، لقد تلقّينا");
    expect(renderEmail({ template: "ticket-resolved", locale: "en", audience: "customer", vars: bare }, links).html).not.toContain("<blockquote");
  });

  it("keeps a header free of line breaks a variable could smuggle in", () => {
    const { subject } = renderEmail({ template: "ticket-assigned", locale: "en", audience: "agent", vars: { ...vars, subject: "Hi\r\nBcc: victim@example.com" } }, links);
    expect(subject).toBe("[TKT-2026-000001] Assigned to you: Hi Bcc: victim@example.com");
  });
});

describe("chat transcripts", () => {
  const transcript = JSON.stringify([
    { at: Date.UTC(2026, 11, 2, 9, 5), sender: "customer", name: "Jane", body: "My sync stopped" },
    { at: Date.UTC(2026, 11, 2, 9, 7), sender: "agent", name: "Ada", body: "Update to 4.2 <please>" },
    { at: Date.UTC(2026, 11, 2, 9, 8), sender: "system", name: null, body: "Ada joined" },
  ]);
  it("lays the lines out with UTC times, the customer as the locale's 'you', and what was left out", () => {
    const en = renderEmail({ template: "chat-transcript", locale: "en", audience: "customer", vars: { ...vars, subject: "Sync", transcript, omitted: 4, closed: 1 } }, links);
    // Plain: once the directional isolates are taken out, the lines read as they were written.
    const bare = (text: string) => text.replace(/[\u2066\u2068\u2069]/g, "");
    expect(bare(en.text)).toContain("[2026-12-02 09:05 UTC] You: My sync stopped\n[2026-12-02 09:07 UTC] Ada: Update to 4.2 <please>\n[2026-12-02 09:08 UTC] Parley: Ada joined");
    expect(en.text).toContain("… and 4 more messages: see the conversation.");
    expect(en.text).toContain("This conversation is now closed.");
    expect(en.html).toContain("Update to 4.2 &lt;please&gt;");
    const fr = renderEmail({ template: "chat-transcript", locale: "fr", audience: "customer", vars: { ...vars, subject: "Sync", transcript, omitted: 0, closed: 0 } }, links);
    expect(bare(fr.text)).toContain("[2026-12-02 09:05 UTC] Vous: My sync stopped");
    expect(fr.text).not.toContain("de plus");
    expect(fr.text).toContain("Nous poursuivons par e-mail");
    const ar = renderEmail({ template: "chat-transcript", locale: "ar", audience: "customer", vars: { ...vars, subject: "Sync", transcript, omitted: 0, closed: 0 } }, links);
    expect(bare(ar.text)).toContain("أنت: My sync stopped");
  });

  it("isolates each line's name and message for bidi: FSI…PDI in the text, <bdi> in the HTML of a right-to-left document", () => {
    const mixed = JSON.stringify([
      { at: Date.UTC(2026, 11, 2, 9, 5), sender: "customer", name: "جميلة", body: "المزامنة توقفت منذ الأمس" },
      { at: Date.UTC(2026, 11, 2, 9, 7), sender: "agent", name: "Ada", body: "Please update to 4.2" },
      { at: Date.UTC(2026, 11, 2, 9, 8), sender: "agent", name: "سامي", body: "جرّب version 4.2 ثم أعد التشغيل" },
    ]);
    const ar = renderEmail({ template: "chat-transcript", locale: "ar", audience: "customer", vars: { ...vars, subject: "المزامنة", transcript: mixed, omitted: 0, closed: 0 } }, links);
    expect(ar.text.split("\n").filter((line) => line.includes("UTC"))).toEqual([
      "\u2066[2026-12-02 09:05 UTC]\u2069 \u2068أنت\u2069: \u2068المزامنة توقفت منذ الأمس\u2069",
      "\u2066[2026-12-02 09:07 UTC]\u2069 \u2068Ada\u2069: \u2068Please update to 4.2\u2069",
      "\u2066[2026-12-02 09:08 UTC]\u2069 \u2068سامي\u2069: \u2068جرّب version 4.2 ثم أعد التشغيل\u2069",
    ]);
    expect(ar.html).toMatch(/<html lang="ar" dir="rtl">/);
    const lines = [...ar.html.matchAll(/<p[^>]*><span dir="ltr"[^>]*>\[([^\]]+)\]<\/span> <bdi[^>]*>([^<]*)<\/bdi>: <bdi dir="auto"[^>]*>([^<]*)<\/bdi><\/p>/g)].map((m) => m.slice(1));
    expect(lines).toEqual([
      ["2026-12-02 09:05 UTC", "أنت", "المزامنة توقفت منذ الأمس"],
      ["2026-12-02 09:07 UTC", "Ada", "Please update to 4.2"],
      ["2026-12-02 09:08 UTC", "سامي", "جرّب version 4.2 ثم أعد التشغيل"],
    ]);
  });

  it("asks for a rating with the rating link in every locale", () => {
    for (const locale of locales) {
      const { text } = renderEmail({ template: "rating-reminder", locale, audience: "customer", vars: { ...vars, subject: "Sync" } }, links);
      expect(text, locale).toContain(links.rating!);
    }
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and attributes", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});
