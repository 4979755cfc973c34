import type { AgentTicket } from "../../protocol/index.js";
import type { Translate } from "../i18n.js";

/** "3 h 20 min", "2 d 4 h", "45 s": a duration for SLA countdowns. */
export function duration(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The pending SLA target as a short phrase: "due in 2 h 5 min", "overdue by 3 min", "paused". */
export function slaPhrase(ticket: AgentTicket, now: number, t: Translate): string | null {
  switch (ticket.slaState) {
    case "paused":
      return t("paused");
    case "met":
      return t("met");
    default: {
      if (!ticket.slaDueAt) return null;
      const left = Date.parse(ticket.slaDueAt) - now;
      return left >= 0 ? t("dueIn", { time: duration(left) }) : t("overdue", { time: duration(left) });
    }
  }
}

export function when(iso: string, locale: string): string {
  const date = new Date(iso);
  const sameDay = new Date().toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { hour: "2-digit", minute: "2-digit" } : { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(date);
}
