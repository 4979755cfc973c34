import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { AgentAssist } from "../../protocol/index.js";
import type { Locale } from "../i18n.js";
import { useApp, useWorkspace } from "../context.js";

/** This panel's words; kept beside it so the shared dictionary stays as it is. */
const WORDS: Record<Locale, { title: string; none: string; use: string; refresh: string; failed: string; loading: string; hint: string }> = {
  en: { title: "Suggested articles", none: "No article matches the customer's latest messages.", use: "Use suggested reply", refresh: "Refresh", failed: "Suggestions failed: {message}", loading: "Finding articles…", hint: "The draft goes into the reply box for you to edit; nothing is sent." },
  fr: { title: "Articles suggérés", none: "Aucun article ne correspond aux derniers messages du client.", use: "Utiliser la réponse suggérée", refresh: "Actualiser", failed: "Échec des suggestions : {message}", loading: "Recherche d'articles…", hint: "Le brouillon va dans la zone de réponse pour que vous le modifiiez ; rien n'est envoyé." },
  ar: { title: "مقالات مقترحة", none: "لا توجد مقالة تطابق آخر رسائل العميل.", use: "استخدم الرد المقترح", refresh: "تحديث", failed: "تعذّرت الاقتراحات: {message}", loading: "جارٍ البحث عن مقالات…", hint: "تُوضع المسودة في مربع الرد لتعدّلها؛ لا يُرسل شيء." },
};

/**
 * Suggested articles for the open ticket and a reply draft. "Use suggested reply" puts the
 * draft in the reply composer (`onFill` tells the ticket view to show it); the agent edits
 * and sends it, the panel never sends anything.
 */
export function AssistPanel({ number, lastSeq, onFill }: { number: string; lastSeq: number; onFill: () => void }) {
  const { prefs, drafts, ui } = useApp();
  const { client } = useWorkspace();
  const words = WORDS[prefs.locale.value];
  const assist = useSignal<AgentAssist | null>(null);
  const failure = useSignal<string | null>(null);
  const load = () => {
    failure.value = null;
    client.tickets.assist(number).then(
      (answer) => (assist.value = answer),
      (error: unknown) => (failure.value = error instanceof Error ? error.message : String(error)),
    );
  };
  // Again when a message arrives: the suggestion follows what the customer said last.
  useEffect(load, [number, lastSeq]);

  const use = () => {
    const reply = assist.value?.suggestedReply;
    if (!reply) return;
    drafts.set(number, "reply", reply);
    ui.composerMode.value = "reply";
    onFill();
    ui.composerFocus.value++;
  };
  const current = assist.value;
  return (
    <section class="panel assist" aria-labelledby="assist-title" data-testid="assist-panel">
      <h2 id="assist-title">{words.title}</h2>
      {failure.value && <p class="notice error" role="alert">{words.failed.replace("{message}", failure.value)}</p>}
      {!current && !failure.value && <p role="status">{words.loading}</p>}
      {current && current.articles.length === 0 && <p class="muted">{words.none}</p>}
      {current && current.articles.length > 0 && (
        <ol class="assist-articles" style={{ margin: 0, paddingInlineStart: "18px", display: "flex", flexDirection: "column", gap: "6px", fontSize: "13px" }}>
          {current.articles.map((article) => (
            <li key={article.slug} data-slug={article.slug}>
              <strong dir="auto">{article.title}</strong>
              <p class="muted" dir="auto" style={{ margin: "2px 0 0" }}>{article.snippet}</p>
            </li>
          ))}
        </ol>
      )}
      <div style={{ display: "flex", gap: "8px", flexWrap: "wrap" }}>
        <button type="button" class="primary" disabled={!current?.suggestedReply} onClick={use} title={words.hint}>
          {words.use}
        </button>
        <button type="button" class="ghost" onClick={load}>
          {words.refresh}
        </button>
      </div>
    </section>
  );
}
