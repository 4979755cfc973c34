import type { AgentTicket } from "../../protocol/index.js";
import { useT } from "../context.js";

/** Only http(s) pages become links; anything else (never stored, but never trusted) stays text. */
const linkable = (url: string) => /^https?:\/\//i.test(url);

/**
 * Where the customer opened the ticket from and their language, as `<dt>/<dd>` pairs for the
 * customer panel's list. Both are what the visitor's browser reported: shown as text (the page
 * as a link that opens apart from the inbox, without a referrer), never as markup.
 */
export function CustomerContext({ customer }: { customer: AgentTicket["customer"] }) {
  const t = useT();
  const { pageUrl, locale } = customer;
  return (
    <>
      {pageUrl && (
        <>
          <dt>{t("page")}</dt>
          <dd class="customer-page">
            {linkable(pageUrl) ? (
              <a href={pageUrl} target="_blank" rel="noopener noreferrer" dir="ltr">
                {pageUrl}
              </a>
            ) : (
              <bdi>{pageUrl}</bdi>
            )}
          </dd>
        </>
      )}
      {locale && (
        <>
          <dt>{t("customerLocale")}</dt>
          <dd class="customer-locale">
            <bdi>{locale}</bdi>
          </dd>
        </>
      )}
    </>
  );
}
