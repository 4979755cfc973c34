import { useSignal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import type { AgentTicket, Message, TicketEvent } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";
import { AssistPanel } from "../components/AssistPanel.js";
import { Composer } from "../components/Composer.js";
import { CustomerContext } from "../components/CustomerContext.js";
import { Dialog } from "../components/Dialog.js";
import { duration, when } from "../components/format.js";
import { Markdown } from "../components/Markdown.js";
import { VirtualList } from "../components/VirtualList.js";
import { inlineImage } from "../stores/settings.js";
import type { TicketStore } from "../stores/ticket.js";
import { PRIORITIES, STATUSES } from "./Queue.js";
import { TranslatedOptions } from "../components/TranslatedOptions.js";

/** The open ticket: conversation, composer, customer, SLA, quick actions and timeline. */
export function TicketPane() {
  const t = useT();
  const { ticket: current } = useWorkspace();
  const { router, prefs } = useApp();
  const store = current.value;
  // Bumped when the assist panel fills the reply draft: the composer remounts and shows it.
  const assistFills = useSignal(0);
  if (!store) return <section class="ticket empty-ticket" aria-label={t("conversation")}><p>{t("pickTicket")}</p></section>;
  const ticket = store.ticket.value;
  const back = (
    <button type="button" class="ghost back" onClick={() => router.go({ screen: "queue", number: null })}>
      {t("back")}
    </button>
  );
  if (store.missing.value)
    return (
      <section class="ticket" aria-label={t("conversation")}>
        {back}
        <p class="notice error" role="alert">{t("notFound")}</p>
      </section>
    );
  if (!ticket) return <section class="ticket" aria-label={t("conversation")}>{back}<p role="status">{t("loading")}</p></section>;
  return (
    <section class="ticket" aria-labelledby="ticket-title" data-number={ticket.number}>
      <header class="ticket-head">
        {back}
        <h1 id="ticket-title">
          <span class="number">{ticket.number}</span> <bdi>{ticket.subject}</bdi>
        </h1>
        <div class="chips">
          <span class={`chip status-${ticket.status}`} data-testid="ticket-status">{t(ticket.status)}</span>
          <span class={`chip priority-${ticket.priority}`}>{t(ticket.priority)}</span>
          {ticket.tier > 1 && <span class="chip">{`${t("tier")} ${ticket.tier}`}</span>}
          {ticket.handedOffAt && <span class="chip" data-testid="handed-off" title={when(ticket.handedOffAt, prefs.locale.value)}>{t("handedOff")}</span>}
          <SlaClock ticket={ticket} />
        </div>
      </header>
      {store.error.value && <p class="notice error" role="alert">{t("error", { message: store.error.value })}</p>}
      <div class="ticket-body">
        <div class="conversation-column">
          <Conversation store={store} />
          <Composer store={store} key={`${store.number}:${assistFills.value}`} />
        </div>
        <aside class="side" aria-label={t("customer")}>
          <CustomerPanel ticket={ticket} />
          <AssistPanel number={ticket.number} lastSeq={store.messages.value.at(-1)?.seq ?? 0} onFill={() => assistFills.value++} />
          <QuickActions store={store} ticket={ticket} />
          <Timeline store={store} />
        </aside>
      </div>
      <TicketDialogs store={store} />
    </section>
  );
}

function SlaClock({ ticket }: { ticket: AgentTicket }) {
  const t = useT();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const target = (label: string, due: string | null, doneAt: string | null) => {
    if (!due) return null;
    const left = Date.parse(due) - now;
    const state = doneAt ? t("met") : ticket.slaPausedAt ? t("paused") : left >= 0 ? t("dueIn", { time: duration(left) }) : t("overdue", { time: duration(left) });
    return (
      <span class={`chip sla ${!doneAt && left < 0 ? "sla-breached" : ""}`} key={label}>
        {label}: {state}
      </span>
    );
  };
  return (
    <span class="sla-clock" role="timer" aria-live="off">
      {target(t("firstResponseDue"), ticket.firstResponseDueAt, ticket.firstResponseAt)}
      {target(t("resolutionDue"), ticket.resolutionDueAt, ticket.resolvedAt)}
    </span>
  );
}

function Conversation({ store }: { store: TicketStore }) {
  const t = useT();
  const { prefs } = useApp();
  const { client } = useWorkspace();
  const messages = store.messages.value;
  const readSeq = store.customerReadSeq.value;
  const typing = store.typing.value;
  const here = store.presence.value.filter((person) => person.userId !== client.agent.id);
  return (
    <div class="conversation">
      {store.loadingOlder.value && <p class="older" role="status">{t("olderMessages")}</p>}
      <VirtualList
        class="messages"
        label={t("conversation")}
        count={messages.length}
        estimateSize={88}
        measure
        anchor="end"
        threshold={3}
        itemKey={(index) => messages[index]!.seq}
        onNearStart={() => void store.loadOlder()}
        renderItem={(index) => <MessageItem message={messages[index]!} customer={store.ticket.value?.customer.name ?? null} locale={prefs.locale.value} seen={readSeq > 0 && messages[index]!.senderType === "agent" && !messages[index]!.internal && visibleUpTo(messages, index, readSeq, store.olderCursor.value === null)} />}
      />
      <p class="presence" aria-live="polite">
        {typing.length > 0 && <span class="typing">{t("typing", { name: typing.map((person) => person.name ?? "…").join(", ") })}</span>}
        {here.length > 0 && <span>{t("here", { names: here.map((person) => person.name ?? person.kind).join(", ") })}</span>}
      </p>
    </div>
  );
}

/**
 * Whether the customer's read mark (counted in messages they can see) covers the message at
 * `index`. Exact once the whole conversation is loaded; before that the mark is not placed.
 */
function visibleUpTo(messages: Message[], index: number, readSeq: number, complete: boolean): boolean {
  if (!complete) return false;
  let position = 0;
  for (let at = 0; at <= index; at++) if (!messages[at]!.internal) position++;
  return position <= readSeq;
}

function MessageItem({ message, customer, locale, seen }: { message: Message; customer: string | null; locale: string; seen: boolean }) {
  const t = useT();
  const attachmentOrigin = useApp().settings.settings.value.attachmentOrigin;
  const kind = message.internal ? "note" : message.senderType;
  const sender = message.senderName ?? (message.senderType === "customer" ? (customer ?? t("customer")) : message.senderType === "system" ? t("systemSender") : message.senderType);
  return (
    <article class={`message ${kind}`} data-seq={message.seq} aria-label={message.internal ? `${t("internal")}: ${sender}` : sender}>
      <header>
        {message.internal && <span class="note-tag">{t("internal")}</span>}
        <span class="sender" dir="auto">{sender}</span>
        <time dateTime={message.createdAt}>{when(message.createdAt, locale)}</time>
        {message.senderType === "agent" && !message.internal && <span class="delivery">{seen ? t("seen") : t("sent")}</span>}
      </header>
      <Markdown source={message.body} />
      {message.attachments.length > 0 && (
        <ul class="attachments" aria-label={t("attachment")}>
          {message.attachments.map((attachment) => (
            <li key={attachment.url}>
              <a href={safeAttachment(attachment.url)} target="_blank" rel="noopener noreferrer nofollow">
                {/* The name beside it says what it is, so the image itself is not announced twice. */}
                {inlineImage(attachment, attachmentOrigin) && <img class="attachment-image" src={attachment.url} alt="" loading="lazy" referrerpolicy="no-referrer" decoding="async" />}
                {attachment.name}
              </a>{" "}
              <span class="size">{Math.ceil(attachment.size / 1024)} KB</span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** Attachments are links, and only http(s) ones; images of the allowed origin are shown too (inlineImage). */
function safeAttachment(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function CustomerPanel({ ticket }: { ticket: AgentTicket }) {
  const t = useT();
  const { client, queue } = useWorkspace();
  const siteNames = queue.siteNames;
  const { router } = useApp();
  const others = useSignal<AgentTicket[]>([]);
  const email = ticket.customer.email;
  useEffect(() => {
    if (!email) return;
    void client.tickets.list({ q: email, limit: 6 }).then((page) => (others.value = page.items.filter((other) => other.number !== ticket.number)));
  }, [email, ticket.number]);
  return (
    <section class="panel customer" aria-labelledby="customer-title">
      <h2 id="customer-title">{t("customer")}</h2>
      <p class="customer-name" dir="auto">{ticket.customer.name ?? "—"}</p>
      {email && <p dir="auto">{email}</p>}
      <p>
        <span class={`chip ${ticket.customer.verified ? "verified" : "unverified"}`}>{ticket.customer.verified ? t("verified") : t("unverified")}</span>
      </p>
      <dl>
        <dt>{t("source")}</dt>
        <dd>{ticket.source}</dd>
        <dt>{t("site")}</dt>
        <dd>{siteNames.value.get(ticket.siteId) ?? ticket.siteId}</dd>
        <CustomerContext customer={ticket.customer} />
      </dl>
      <details class="description" open>
        <summary>{t("request")}</summary>
        <Markdown source={ticket.description} />
      </details>
      {others.value.length > 0 && (
        <>
          <h3>{t("otherTickets")}</h3>
          <ul>
            {others.value.map((other) => (
              <li key={other.number}>
                <a
                  href={`/inbox/tickets/${encodeURIComponent(other.number)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    router.go({ screen: "queue", number: other.number });
                  }}
                >
                  {other.number}
                </a>{" "}
                {other.subject}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function QuickActions({ store, ticket }: { store: TicketStore; ticket: AgentTicket }) {
  const t = useT();
  const { client } = useWorkspace();
  const { ui } = useApp();
  const colleagues = useSignal<Array<{ id: string; name: string }>>([]);
  const tags = useSignal(ticket.tags.join(", "));
  useEffect(() => {
    void client.colleagues().then((answer) => (colleagues.value = answer.items.map((agent) => ({ id: agent.id, name: agent.name }))));
  }, []);
  useEffect(() => {
    tags.value = ticket.tags.join(", ");
  }, [ticket.tags.join(",")]);
  const me = client.agent.id;
  return (
    <section class="panel actions" aria-labelledby="actions-title">
      <h2 id="actions-title">{t("actions")}</h2>
      <div class="row">
        {ticket.assigneeId === null ? (
          <button type="button" onClick={() => void store.claim()} disabled={store.busy.value}>
            {t("claim")}
          </button>
        ) : ticket.assigneeId !== me ? (
          <button type="button" onClick={() => void store.assign(me)} disabled={store.busy.value}>
            {t("assignMe")}
          </button>
        ) : null}
        <button type="button" onClick={() => (ui.dialog.value = "escalate")}>
          {t("escalate")}
        </button>
        <button type="button" class="primary" onClick={() => (ui.dialog.value = "resolve")}>
          {t("resolve")}
        </button>
        <button type="button" onClick={() => (ui.dialog.value = "close")}>
          {t("close")}
        </button>
      </div>
      <label>
        {t("assignee")}
        <select value={ticket.assigneeId ?? ""} onChange={(event) => void store.assign((event.currentTarget as HTMLSelectElement).value || null)}>
          <option value="">{t("nobody")}</option>
          {colleagues.value.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("filterStatus")}
        <select value={ticket.status} onChange={(event) => void store.update({ status: (event.currentTarget as HTMLSelectElement).value as AgentTicket["status"] })}>
          <TranslatedOptions values={STATUSES} />
        </select>
      </label>
      <label>
        {t("priority")}
        <select value={ticket.priority} onChange={(event) => void store.update({ priority: (event.currentTarget as HTMLSelectElement).value as AgentTicket["priority"] })}>
          <TranslatedOptions values={PRIORITIES} />
        </select>
      </label>
      <label>
        {t("category")}
        <input
          type="text"
          defaultValue={ticket.category ?? ""}
          key={ticket.category ?? ""}
          onChange={(event) => {
            const value = (event.currentTarget as HTMLInputElement).value.trim();
            void store.update({ category: value || null });
          }}
        />
      </label>
      <form
        class="tags"
        onSubmit={(event) => {
          event.preventDefault();
          void store.update({ tags: tags.value.split(",").map((tag) => tag.trim()).filter(Boolean) });
        }}
      >
        <label>
          {t("tags")} <small>({t("tagsHint")})</small>
          <input type="text" value={tags.value} onInput={(event) => (tags.value = (event.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t("save")}</button>
      </form>
    </section>
  );
}

function Timeline({ store }: { store: TicketStore }) {
  const t = useT();
  const { prefs } = useApp();
  return (
    <section class="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline")}</h2>
      <ol>
        {[...store.events.value].reverse().map((event) => (
          <li key={event.id}>
            <time dateTime={event.createdAt}>{when(event.createdAt, prefs.locale.value)}</time> <span class="event-type">{describeEvent(event, t)}</span> <span class="actor">{event.actorType}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

const STATUS_KEYS = new Set<string>(STATUSES);

/** One timeline line: what happened, and the new value or the reason when the event carries one. */
function describeEvent(event: TicketEvent, t: ReturnType<typeof useT>): string {
  const data = event.data;
  const to = typeof data.to === "string" ? data.to : null;
  const reason = typeof data.reason === "string" ? data.reason : null;
  const label = event.type.replace(/_/g, " ");
  if (to) return `${label} → ${STATUS_KEYS.has(to) ? t(to as AgentTicket["status"]) : to}`;
  return reason ? `${label}: ${reason}` : label;
}

function TicketDialogs({ store }: { store: TicketStore }) {
  const t = useT();
  const { ui } = useApp();
  const text = useSignal("");
  const dialog = ui.dialog.value;
  const close = () => {
    ui.dialog.value = null;
    text.value = "";
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const value = text.value.trim();
    const done = dialog === "resolve" ? await store.resolve(value) : dialog === "close" ? await store.close(value) : dialog === "escalate" ? await store.escalate({ reason: value }) : null;
    if (done) close();
  };
  const label = dialog === "resolve" ? t("resolution") : dialog === "close" ? t("closeMessage") : t("escalateReason");
  const title = dialog === "resolve" ? t("resolve") : dialog === "close" ? t("close") : t("escalate");
  return (
    <Dialog open={dialog !== null} onClose={close} label={title}>
      <form onSubmit={submit} class="dialog-form">
        <h2>{title}</h2>
        {store.error.value && <p class="notice error" role="alert">{store.error.value}</p>}
        <label>
          {label}
          <textarea rows={4} value={text.value} onInput={(event) => (text.value = (event.currentTarget as HTMLTextAreaElement).value)} required={dialog === "escalate"} minLength={dialog === "escalate" ? 3 : undefined} autofocus />
        </label>
        <div class="row">
          <button type="button" onClick={close}>
            {t("cancel")}
          </button>
          <button type="submit" class="primary" disabled={store.busy.value}>
            {title}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
