import type { MessageKey } from "../i18n.js";

/** The admin screens, in menu order (the screens themselves load on demand). */
export const ADMIN_SECTIONS: Array<{ id: string; label: MessageKey }> = [
  { id: "agents", label: "agents" },
  { id: "departments", label: "departments" },
  { id: "categories", label: "categories" },
  { id: "sla-policies", label: "slaPolicies" },
  { id: "faqs", label: "faqs" },
  { id: "canned", label: "cannedResponses" },
  { id: "webhooks", label: "webhooks" },
  { id: "sites", label: "sites" },
];
