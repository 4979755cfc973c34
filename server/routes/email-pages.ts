import type { EmailLocale } from "../domain/notification-rules.js";
import { escapeHtml } from "../delivery/email/templates.js";

/**
 * The small pages the links in our emails open: unsubscribed, the conversation, the rating
 * form and its thanks. Plain HTML, no script; every value is escaped here.
 */
interface PageCopy {
  dir: "ltr" | "rtl";
  unsubscribedTitle: string;
  unsubscribed: (address: string) => string;
  conversation: (number: string) => string;
  status: string;
  replyByEmail: string;
  you: string;
  rateTitle: string;
  rateQuestion: string;
  comment: string;
  send: string;
  thanks: string;
}

const copy: Record<EmailLocale, PageCopy> = {
  en: {
    dir: "ltr",
    unsubscribedTitle: "Unsubscribed",
    unsubscribed: (address) => `${address} will get no more emails about support requests from us.`,
    conversation: (number) => `Conversation ${number}`,
    status: "Status",
    replyByEmail: "To answer, reply to the last email we sent you.",
    you: "You",
    rateTitle: "Rate our help",
    rateQuestion: "How well did we help you, from 1 (poorly) to 5 (very well)?",
    comment: "Anything to add? (optional)",
    send: "Send",
    thanks: "Thank you for your rating.",
  },
  fr: {
    dir: "ltr",
    unsubscribedTitle: "Désinscription confirmée",
    unsubscribed: (address) => `${address} ne recevra plus d’e-mails de notre part au sujet des demandes d’assistance.`,
    conversation: (number) => `Conversation ${number}`,
    status: "Statut",
    replyByEmail: "Pour répondre, répondez au dernier e-mail que nous vous avons envoyé.",
    you: "Vous",
    rateTitle: "Évaluer notre aide",
    rateQuestion: "Dans quelle mesure vous avons-nous aidé, de 1 (peu) à 5 (très bien) ?",
    comment: "Un commentaire ? (facultatif)",
    send: "Envoyer",
    thanks: "Merci pour votre évaluation.",
  },
  ar: {
    dir: "rtl",
    unsubscribedTitle: "تم إلغاء الاشتراك",
    unsubscribed: (address) => `لن يتلقى ${address} منّا أي رسائل أخرى بخصوص طلبات الدعم.`,
    conversation: (number) => `المحادثة ${number}`,
    status: "الحالة",
    replyByEmail: "للرد، أجب على آخر رسالة أرسلناها إليك.",
    you: "أنت",
    rateTitle: "قيّم مساعدتنا",
    rateQuestion: "إلى أي حد ساعدناك، من 1 (قليلًا) إلى 5 (كثيرًا)؟",
    comment: "هل تود إضافة شيء؟ (اختياري)",
    send: "إرسال",
    thanks: "شكرًا على تقييمك.",
  },
};

function page(locale: EmailLocale, title: string, body: string): string {
  const { dir } = copy[locale];
  return `<!doctype html>
<html lang="${locale}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111827">
<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}

export const unsubscribedPage = (locale: EmailLocale, address: string) =>
  page(locale, copy[locale].unsubscribedTitle, `<p>${escapeHtml(copy[locale].unsubscribed(address))}</p>`);

export interface TranscriptLine {
  from: "customer" | "team";
  name: string | null;
  body: string;
  at: string;
}

export function conversationPage(locale: EmailLocale, ticket: { number: string; subject: string; status: string }, lines: TranscriptLine[], ratingUrl: string | null) {
  const t = copy[locale];
  const items = lines
    .map(
      (line) =>
        `<li style="margin:0 0 1rem"><strong>${escapeHtml(line.from === "customer" ? t.you : (line.name ?? ""))}</strong> <time style="color:#6b7280;font-size:.85rem">${escapeHtml(line.at)}</time><div style="white-space:pre-wrap">${escapeHtml(line.body)}</div></li>`,
    )
    .join("\n");
  const body = [
    `<p><strong>${escapeHtml(ticket.subject)}</strong><br>${escapeHtml(t.status)}: ${escapeHtml(ticket.status)}</p>`,
    `<ol style="list-style:none;padding:0">${items}</ol>`,
    ratingUrl ? `<p><a href="${escapeHtml(ratingUrl)}">${escapeHtml(t.rateTitle)}</a></p>` : `<p>${escapeHtml(t.replyByEmail)}</p>`,
  ].join("\n");
  return page(locale, t.conversation(ticket.number), body);
}

export function ratingFormPage(locale: EmailLocale, token: string, action: string) {
  const t = copy[locale];
  const scores = [1, 2, 3, 4, 5]
    .map((score) => `<label style="margin-inline-end:1rem"><input type="radio" name="score" value="${score}" required> ${score}</label>`)
    .join("");
  return page(
    locale,
    t.rateTitle,
    `<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p>${escapeHtml(t.rateQuestion)}</p>
<p>${scores}</p>
<p><label>${escapeHtml(t.comment)}<br><textarea name="comment" rows="4" cols="50" maxlength="2000"></textarea></label></p>
<p><button type="submit">${escapeHtml(t.send)}</button></p>
</form>`,
  );
}

export const ratedPage = (locale: EmailLocale) => page(locale, copy[locale].rateTitle, `<p>${escapeHtml(copy[locale].thanks)}</p>`);
