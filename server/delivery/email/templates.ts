import type { SenderType } from "../../../protocol/index.js";
import type { TranscriptLine } from "../../domain/events.js";
import type { EmailLocale, EmailNotice, EmailTemplate, EmailVars } from "../../domain/notification-rules.js";

/**
 * The words of every email, per template and locale, and the one function that renders a
 * notice into a subject, a plain-text body and an HTML body. The copy below holds no markup
 * and no `& < > "`, so escaping the variables (and only them) makes the HTML safe: each
 * piece of copy is a function of the variables, called with raw values for the text and
 * subject and with HTML-escaped values for the HTML.
 */
export interface EmailLinks {
  conversation: string | null;
  rating: string | null;
  unsubscribe: string | null;
  inbox: string | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Vars = Record<string, string>;

interface TemplateCopy {
  subject: (v: Vars) => string;
  intro: (v: Vars) => string;
  /** A variable quoted as a block (the agent's reply, the resolution note…), when present. */
  quote?: string;
  /** The variable holding a chat transcript (JSON lines), laid out as the quoted block. */
  transcript?: string;
  after?: (v: Vars) => string;
  action?: { label: string; link: keyof EmailLinks };
}

interface LocaleCopy {
  dir: "ltr" | "rtl";
  /** Above the text of a customer email: whatever the customer types above it is their reply. */
  replyAbove: string;
  replyHint: string;
  unsubscribe: string;
  someone: string;
  /** Between a label and its link in the text part (French sets a space before the colon). */
  colon: string;
  /** Who speaks in a transcript when the message carries no name. */
  senders: Record<SenderType, string>;
  /** The transcript's last line when it was cut short. */
  omitted: (count: string) => string;
  templates: Record<EmailTemplate, TemplateCopy>;
}

const copy: Record<EmailLocale, LocaleCopy> = {
  en: {
    dir: "ltr",
    replyAbove: "##- Please type your reply above this line -##",
    replyHint: "You can reply to this email to answer us.",
    unsubscribe: "Stop these emails",
    someone: "there",
    colon: ": ",
    senders: { customer: "You", agent: "Support", system: "Parley", bot: "Assistant" },
    omitted: (count) => `… and ${count} more messages: see the conversation.`,
    templates: {
      "ticket-created": {
        subject: (v) => `[${v.number}] We received your request: ${v.subject}`,
        intro: (v) => `Hello ${v.customerName}, we have received your request and opened ticket ${v.number}. We will reply as soon as we can.`,
        action: { label: "View your conversation", link: "conversation" },
      },
      "agent-replied": {
        subject: (v) => `[${v.number}] New reply from ${v.agentName}`,
        intro: (v) => `${v.agentName} replied to your request “${v.subject}”:`,
        quote: "body",
        action: { label: "View the conversation", link: "conversation" },
      },
      "ticket-resolved": {
        subject: (v) => `[${v.number}] Your request has been resolved`,
        intro: (v) => `We have marked your request “${v.subject}” as resolved.`,
        quote: "resolution",
        after: () => "If something is still not right, just reply to this email.",
        action: { label: "Rate our help", link: "rating" },
      },
      "ticket-closed": {
        subject: (v) => `[${v.number}] Your request is closed`,
        intro: (v) => `Your request “${v.subject}” is now closed.`,
        quote: "message",
        action: { label: "View the conversation", link: "conversation" },
      },
      "ticket-assigned": {
        subject: (v) => `[${v.number}] Assigned to you: ${v.subject}`,
        intro: (v) => `Ticket ${v.number} from ${v.customerName} (priority ${v.priority}) is now assigned to you.`,
        action: { label: "Open the inbox", link: "inbox" },
      },
      "ticket-escalated": {
        subject: (v) => `[${v.number}] Escalated to you: ${v.subject}`,
        intro: (v) => `Ticket ${v.number} was escalated from tier ${v.fromTier} to tier ${v.toTier} and is now yours.`,
        quote: "reason",
        action: { label: "Open the inbox", link: "inbox" },
      },
      "rating-reminder": {
        subject: (v) => `[${v.number}] How did we do?`,
        intro: (v) => `Hello ${v.customerName}, we resolved your request “${v.subject}”. Would you tell us how we did? It takes one click.`,
        action: { label: "Rate our help", link: "rating" },
      },
      "sla-warning": {
        subject: (v) => `[${v.number}] At risk: ${v.subject}`,
        intro: (v) => `Ticket ${v.number} from ${v.customerName} (priority ${v.priority}) is past 80 % of its ${v.target === "first_response" ? "first-response" : "resolution"} target, due at ${v.dueAt}.`,
        action: { label: "Open the inbox", link: "inbox" },
      },
      "sla-breached": {
        subject: (v) => `[${v.number}] SLA breached: ${v.subject}`,
        intro: (v) =>
          `Ticket ${v.number} from ${v.customerName} (priority ${v.priority}) missed its ${v.target === "first_response" ? "first-response" : "resolution"} target, due at ${v.dueAt}. ${v.escalated === "1" ? `It was escalated to tier ${v.tier}.` : `It stays at tier ${v.tier}, the highest.`}`,
        action: { label: "Open the inbox", link: "inbox" },
      },
      "chat-transcript": {
        subject: (v) => `[${v.number}] Transcript of your chat: ${v.subject}`,
        intro: () => "Your chat with us has ended. Here is what was said:",
        transcript: "transcript",
        after: (v) => (v.closed === "1" ? "This conversation is now closed. Thank you for writing to us." : "We will carry on by email: reply to this email to add anything."),
        action: { label: "View the conversation", link: "conversation" },
      },
    },
  },
  fr: {
    dir: "ltr",
    replyAbove: "##- Veuillez écrire votre réponse au-dessus de cette ligne -##",
    replyHint: "Vous pouvez répondre à cet e-mail pour nous écrire.",
    unsubscribe: "Ne plus recevoir ces e-mails",
    someone: "",
    colon: " : ",
    senders: { customer: "Vous", agent: "Support", system: "Parley", bot: "Assistant" },
    omitted: (count) => `… et ${count} messages de plus : voir la conversation.`,
    templates: {
      "ticket-created": {
        subject: (v) => `[${v.number}] Nous avons bien reçu votre demande : ${v.subject}`,
        intro: (v) => `Bonjour ${v.customerName}, nous avons bien reçu votre demande et ouvert le ticket ${v.number}. Nous vous répondrons dès que possible.`,
        action: { label: "Voir la conversation", link: "conversation" },
      },
      "agent-replied": {
        subject: (v) => `[${v.number}] Nouvelle réponse de ${v.agentName}`,
        intro: (v) => `${v.agentName} a répondu à votre demande « ${v.subject} » :`,
        quote: "body",
        action: { label: "Voir la conversation", link: "conversation" },
      },
      "ticket-resolved": {
        subject: (v) => `[${v.number}] Votre demande est résolue`,
        intro: (v) => `Nous avons marqué votre demande « ${v.subject} » comme résolue.`,
        quote: "resolution",
        after: () => "Si quelque chose ne va toujours pas, répondez simplement à cet e-mail.",
        action: { label: "Évaluer notre aide", link: "rating" },
      },
      "ticket-closed": {
        subject: (v) => `[${v.number}] Votre demande est clôturée`,
        intro: (v) => `Votre demande « ${v.subject} » est maintenant clôturée.`,
        quote: "message",
        action: { label: "Voir la conversation", link: "conversation" },
      },
      "ticket-assigned": {
        subject: (v) => `[${v.number}] Ticket qui vous est attribué : ${v.subject}`,
        intro: (v) => `Le ticket ${v.number} de ${v.customerName} (priorité ${v.priority}) vous est maintenant attribué.`,
        action: { label: "Ouvrir la boîte de réception", link: "inbox" },
      },
      "ticket-escalated": {
        subject: (v) => `[${v.number}] Ticket escaladé vers vous : ${v.subject}`,
        intro: (v) => `Le ticket ${v.number} est passé du niveau ${v.fromTier} au niveau ${v.toTier} et vous revient.`,
        quote: "reason",
        action: { label: "Ouvrir la boîte de réception", link: "inbox" },
      },
      "rating-reminder": {
        subject: (v) => `[${v.number}] Comment nous en sommes-nous sortis ?`,
        intro: (v) => `Bonjour ${v.customerName}, nous avons résolu votre demande « ${v.subject} ». Pourriez-vous nous dire ce que vous avez pensé de notre aide ? Un clic suffit.`,
        action: { label: "Évaluer notre aide", link: "rating" },
      },
      "sla-warning": {
        subject: (v) => `[${v.number}] En danger : ${v.subject}`,
        intro: (v) =>
          `Le ticket ${v.number} de ${v.customerName} (priorité ${v.priority}) a dépassé 80 % de son délai ${v.target === "first_response" ? "de première réponse" : "de résolution"}, échéance ${v.dueAt}.`,
        action: { label: "Ouvrir la boîte de réception", link: "inbox" },
      },
      "sla-breached": {
        subject: (v) => `[${v.number}] Délai dépassé : ${v.subject}`,
        intro: (v) =>
          `Le ticket ${v.number} de ${v.customerName} (priorité ${v.priority}) a manqué son délai ${v.target === "first_response" ? "de première réponse" : "de résolution"}, échéance ${v.dueAt}. ${v.escalated === "1" ? `Il est passé au niveau ${v.tier}.` : `Il reste au niveau ${v.tier}, le plus haut.`}`,
        action: { label: "Ouvrir la boîte de réception", link: "inbox" },
      },
      "chat-transcript": {
        subject: (v) => `[${v.number}] Transcription de votre discussion : ${v.subject}`,
        intro: () => "Votre discussion avec nous est terminée. Voici ce qui a été dit :",
        transcript: "transcript",
        after: (v) =>
          v.closed === "1" ? "Cette conversation est maintenant clôturée. Merci de nous avoir écrit." : "Nous poursuivons par e-mail : répondez à cet e-mail pour ajouter quoi que ce soit.",
        action: { label: "Voir la conversation", link: "conversation" },
      },
    },
  },
  ar: {
    dir: "rtl",
    replyAbove: "##- يرجى كتابة ردك فوق هذا السطر -##",
    replyHint: "يمكنك الرد على هذه الرسالة للكتابة إلينا.",
    unsubscribe: "إيقاف هذه الرسائل",
    someone: "",
    colon: ": ",
    senders: { customer: "أنت", agent: "الدعم", system: "Parley", bot: "المساعد" },
    omitted: (count) => `… و${count} رسائل أخرى: راجع المحادثة.`,
    templates: {
      "ticket-created": {
        subject: (v) => `[${v.number}] تلقّينا طلبك: ${v.subject}`,
        intro: (v) => `مرحبًا ${v.customerName}، لقد تلقّينا طلبك وفتحنا التذكرة ${v.number}. سنرد عليك في أقرب وقت ممكن.`,
        action: { label: "عرض المحادثة", link: "conversation" },
      },
      "agent-replied": {
        subject: (v) => `[${v.number}] رد جديد من ${v.agentName}`,
        intro: (v) => `ردّ ${v.agentName} على طلبك «${v.subject}»:`,
        quote: "body",
        action: { label: "عرض المحادثة", link: "conversation" },
      },
      "ticket-resolved": {
        subject: (v) => `[${v.number}] تم حل طلبك`,
        intro: (v) => `لقد وضعنا على طلبك «${v.subject}» علامة «تم الحل».`,
        quote: "resolution",
        after: () => "إذا كانت المشكلة لا تزال قائمة، فقط ردّ على هذه الرسالة.",
        action: { label: "قيّم مساعدتنا", link: "rating" },
      },
      "ticket-closed": {
        subject: (v) => `[${v.number}] تم إغلاق طلبك`,
        intro: (v) => `تم الآن إغلاق طلبك «${v.subject}».`,
        quote: "message",
        action: { label: "عرض المحادثة", link: "conversation" },
      },
      "ticket-assigned": {
        subject: (v) => `[${v.number}] أُسندت إليك: ${v.subject}`,
        intro: (v) => `أُسندت إليك التذكرة ${v.number} من ${v.customerName} (الأولوية: ${v.priority}).`,
        action: { label: "فتح صندوق الوارد", link: "inbox" },
      },
      "ticket-escalated": {
        subject: (v) => `[${v.number}] صُعّدت إليك: ${v.subject}`,
        intro: (v) => `صُعّدت التذكرة ${v.number} من المستوى ${v.fromTier} إلى المستوى ${v.toTier} وأصبحت من مسؤوليتك.`,
        quote: "reason",
        action: { label: "فتح صندوق الوارد", link: "inbox" },
      },
      "rating-reminder": {
        subject: (v) => `[${v.number}] كيف كانت مساعدتنا؟`,
        intro: (v) => `مرحبًا ${v.customerName}، لقد حللنا طلبك «${v.subject}». هل تخبرنا برأيك في مساعدتنا؟ يكفي نقرة واحدة.`,
        action: { label: "قيّم مساعدتنا", link: "rating" },
      },
      "sla-warning": {
        subject: (v) => `[${v.number}] معرّضة للتأخر: ${v.subject}`,
        intro: (v) =>
          `تجاوزت التذكرة ${v.number} من ${v.customerName} (الأولوية: ${v.priority}) ‏80٪ من مهلة ${v.target === "first_response" ? "الرد الأول" : "الحل"}، وموعدها ${v.dueAt}.`,
        action: { label: "فتح صندوق الوارد", link: "inbox" },
      },
      "sla-breached": {
        subject: (v) => `[${v.number}] تجاوز المهلة: ${v.subject}`,
        intro: (v) =>
          `فاتت التذكرة ${v.number} من ${v.customerName} (الأولوية: ${v.priority}) مهلة ${v.target === "first_response" ? "الرد الأول" : "الحل"}، وكان موعدها ${v.dueAt}. ${v.escalated === "1" ? `صُعّدت إلى المستوى ${v.tier}.` : `تبقى في المستوى ${v.tier}، وهو الأعلى.`}`,
        action: { label: "فتح صندوق الوارد", link: "inbox" },
      },
      "chat-transcript": {
        subject: (v) => `[${v.number}] نص محادثتك: ${v.subject}`,
        intro: () => "انتهت محادثتك معنا. هذا ما قيل فيها:",
        transcript: "transcript",
        after: (v) => (v.closed === "1" ? "تم الآن إغلاق هذه المحادثة. شكرًا لتواصلك معنا." : "سنتابع عبر البريد الإلكتروني: ردّ على هذه الرسالة لإضافة أي شيء."),
        action: { label: "عرض المحادثة", link: "conversation" },
      },
    },
  },
};

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);

/** A header value never carries a line break (that would let a variable add headers). */
const oneLine = (value: string) => value.replace(/[\r\n\t]+/g, " ").replace(/ {2,}/g, " ").trim();

function textVars(vars: EmailVars, someone: string): Vars {
  const out: Vars = {};
  for (const [key, value] of Object.entries(vars)) out[key] = value === null ? "" : String(value);
  if (!out.customerName) out.customerName = someone;
  return out;
}

function htmlVars(vars: Vars): Vars {
  return Object.fromEntries(Object.entries(vars).map(([key, value]) => [key, escapeHtml(value)]));
}

/** Collapses the gap a missing name leaves (`Bonjour , …` → `Bonjour, …`). */
const tidy = (line: string) => line.replace(/ +([,،])/g, "$1").replace(/ {2,}/g, " ");

/** `2026-12-02 14:03 UTC`: the same in every language, and unambiguous across time zones. */
const utcMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** One line of a chat transcript as the email shows it: when, who (a name or the locale's word), what. */
interface TranscriptEntry {
  time: string;
  who: string;
  body: string;
}

/**
 * A chat transcript's lines, the customer's own under the locale's "you", and the line that
 * says what was left out (or null). The JSON was written by our own notification rules; a
 * line of another shape is left out rather than guessed at.
 */
function transcriptOf(json: string | undefined, omitted: string | undefined, locale: LocaleCopy): { entries: TranscriptEntry[]; omitted: string | null } {
  let lines: unknown;
  try {
    lines = JSON.parse(json ?? "[]");
  } catch (error) {
    throw new Error(`a chat transcript that is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const entries = (Array.isArray(lines) ? lines : [])
    .filter((line): line is TranscriptLine => typeof line === "object" && line !== null && typeof line.at === "number" && typeof line.body === "string" && line.sender in locale.senders)
    .map((line) => ({ time: utcMinute(line.at), who: line.sender === "customer" ? locale.senders.customer : (line.name ?? locale.senders[line.sender]), body: line.body }));
  return { entries, omitted: omitted && omitted !== "0" ? locale.omitted(omitted) : null };
}

// Unicode's directional isolates: what people wrote (a name, a message) keeps its own direction
// inside a line of the other one, so an Arabic line does not reorder the time and the name
// around it in an English email, nor a Latin one in an Arabic email.
const FSI = "\u2068";
const LRI = "\u2066";
const PDI = "\u2069";

/** The transcript as plain lines, `[time] who: what`, each name and message isolated. */
function transcriptText({ entries, omitted }: ReturnType<typeof transcriptOf>): string {
  const text = entries.map((entry) => `${LRI}[${entry.time}]${PDI} ${FSI}${entry.who}${PDI}: ${FSI}${entry.body}${PDI}`);
  if (omitted) text.push(omitted);
  return text.join("\n");
}

/**
 * The transcript as HTML: a line per message in the document's direction, the time kept
 * left-to-right, the name and the message each in a `<bdi>` (their own direction, from their
 * first strong letter), a multi-line message kept as written.
 */
function transcriptHtml({ entries, omitted }: ReturnType<typeof transcriptOf>): string {
  const lines = entries.map(
    (entry) =>
      `<p style="margin:0 0 4px"><span dir="ltr" style="color:#6b7280">[${escapeHtml(entry.time)}]</span> <bdi style="font-weight:600">${escapeHtml(entry.who)}</bdi>: <bdi dir="auto" style="white-space:pre-wrap">${escapeHtml(entry.body)}</bdi></p>`,
  );
  if (omitted) lines.push(`<p style="margin:0;color:#6b7280">${escapeHtml(omitted)}</p>`);
  return `<div style="margin:0 0 16px;padding:8px 12px;border-inline-start:3px solid #d1d5db">\n${lines.join("\n")}\n</div>`;
}

export function renderEmail(notice: Pick<EmailNotice, "template" | "locale" | "audience" | "vars">, links: EmailLinks): RenderedEmail {
  const locale = copy[notice.locale];
  const template = locale.templates[notice.template];
  const raw = textVars(notice.vars, locale.someone);
  const escaped = htmlVars(raw);
  const toCustomer = notice.audience === "customer";
  const transcript = template.transcript ? transcriptOf(raw[template.transcript], raw.omitted, locale) : null;
  const quote = transcript ? transcriptText(transcript) : template.quote ? raw[template.quote] : "";
  const actionUrl = template.action ? links[template.action.link] : null;

  const text = [
    ...(toCustomer ? [locale.replyAbove, ""] : []),
    tidy(template.intro(raw)),
    ...(quote ? ["", quote] : []),
    ...(template.after ? ["", template.after(raw)] : []),
    ...(template.action && actionUrl ? ["", `${template.action.label}${locale.colon}${actionUrl}`] : []),
    ...(toCustomer ? ["", "-- ", locale.replyHint, ...(links.unsubscribe ? [`${locale.unsubscribe}${locale.colon}${links.unsubscribe}`] : [])] : []),
  ].join("\n");

  const paragraph = (content: string) => `<p style="margin:0 0 16px">${content}</p>`;
  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const subject = oneLine(template.subject(raw));
  const body = [
    ...(toCustomer ? [`<p style="margin:0 0 16px;color:#6b7280;font-size:12px">${escapeHtml(locale.replyAbove)}</p>`] : []),
    paragraph(tidy(template.intro(escaped))),
    ...(quote && transcript
      ? [transcriptHtml(transcript)]
      : quote
      ? [`<blockquote style="margin:0 0 16px;padding:8px 12px;border-inline-start:3px solid #d1d5db;white-space:pre-wrap">${escapeHtml(quote)}</blockquote>`]
      : []),
    ...(template.after ? [paragraph(escapeHtml(template.after(raw)))] : []),
    ...(template.action && actionUrl ? [paragraph(link(actionUrl, template.action.label))] : []),
    ...(toCustomer
      ? [
          `<p style="margin:24px 0 0;color:#6b7280;font-size:12px">${escapeHtml(locale.replyHint)}${
            links.unsubscribe ? ` · ${link(links.unsubscribe, locale.unsubscribe)}` : ""
          }</p>`,
        ]
      : []),
  ].join("\n");
  const html = `<!doctype html>
<html lang="${notice.locale}" dir="${locale.dir}">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body dir="${locale.dir}" style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#111827">
${body}
</body>
</html>
`;
  return { subject, text, html };
}
