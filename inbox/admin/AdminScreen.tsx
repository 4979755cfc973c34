import { useApp, useT } from "../context.js";
import { AgentsAdmin } from "./AgentsAdmin.js";
import { CannedAdmin } from "./CannedAdmin.js";
import { CategoriesAdmin } from "./CategoriesAdmin.js";
import { DepartmentsAdmin } from "./DepartmentsAdmin.js";
import { FaqAdmin } from "./FaqAdmin.js";
import { ADMIN_SECTIONS } from "./sections.js";
import { SitesAdmin } from "./SitesAdmin.js";
import { SlaAdmin } from "./SlaAdmin.js";
import { WebhookAdmin } from "./WebhookAdmin.js";

// The parts every admin screen is made of, under the names the screens have imported them by.
export { CreateForm } from "./RecordForm.js";
export { Section } from "./Section.js";
export { Table } from "./Table.js";
export { field, useList } from "./use-list.js";

/** Admin screens (loaded on demand): a menu of sections, each a table and a form to add or change one. */
export function AdminScreen({ section }: { section: string }) {
  const t = useT();
  const { router } = useApp();
  return (
    <div class="admin">
      <nav class="admin-nav" aria-label={t("admin")}>
        <ul>
          {ADMIN_SECTIONS.map((entry) => (
            <li key={entry.id}>
              <a
                href={`/inbox/admin/${entry.id}`}
                aria-current={entry.id === section ? "page" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  router.go({ screen: "admin", section: entry.id });
                }}
              >
                {t(entry.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="admin-body">{sectionView(section)}</div>
    </div>
  );
}

function sectionView(section: string) {
  switch (section) {
    case "departments":
      return <DepartmentsAdmin />;
    case "categories":
      return <CategoriesAdmin />;
    case "sla-policies":
      return <SlaAdmin />;
    case "faqs":
      return <FaqAdmin />;
    case "canned":
      return <CannedAdmin />;
    case "webhooks":
      return <WebhookAdmin />;
    case "sites":
      return <SitesAdmin />;
    default:
      return <AgentsAdmin />;
  }
}
