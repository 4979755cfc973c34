import { useSignal } from "@preact/signals";
import type { Branding, Site } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";
import { CreateForm } from "./RecordForm.js";
import { SaveForm, useSaveStatus } from "./SaveForm.js";
import { Section } from "./Section.js";
import { SiteOptions } from "./SiteOptions.js";
import { field, messageOf, useList } from "./use-list.js";
import { WidgetPreview } from "./WidgetPreview.js";

const WIDGET_LOCALES = ["en", "fr", "ar"];

/** Sites: pick one to edit its widget branding (with the live widget), origins, identity rule and secret, and copy its embed. */
export function SitesAdmin() {
  const t = useT();
  const { client } = useWorkspace();
  const { rows, error, reload } = useList<Site>(() => client.admin.sites.list({ limit: 100 }));
  const chosen = useSignal<string | null>(null);
  const sites = rows.value ?? [];
  const site = sites.find((entry) => entry.id === chosen.value) ?? sites[0];
  return (
    <Section title={t("sites")} error={error.value}>
      {sites.length > 1 && (
        <label class="site-picker">
          {t("site")}
          <select value={site?.id} onChange={(event) => (chosen.value = (event.currentTarget as HTMLSelectElement).value)}>
            <SiteOptions sites={sites} />
          </select>
        </label>
      )}
      {site && <SiteEditor key={site.id} site={site} onSaved={() => void reload()} />}
      <h2>{t("newSite")}</h2>
      <CreateForm
        onCreate={async (form) => {
          const created = await client.admin.sites.create({ name: field(form, "name"), allowedOrigins: field(form, "origins").split(/[\s,]+/).filter(Boolean) });
          await reload();
          chosen.value = created.id;
        }}
      >
        <label>
          {t("name")}
          <input name="name" required minLength={2} />
        </label>
        <label>
          {t("origins")}
          <input name="origins" placeholder="https://shop.example" />
        </label>
      </CreateForm>
    </Section>
  );
}

function SiteEditor({ site, onSaved }: { site: Site; onSaved(): void }) {
  const t = useT();
  const { prefs } = useApp();
  const { client } = useWorkspace();
  const branding = useSignal<Branding>(site.branding);
  const locale = useSignal(site.locale);
  const status = useSaveStatus();
  const brand = (next: Partial<Branding>) => {
    branding.value = { ...branding.value, ...next };
    status.value = null;
  };
  const text = (event: Event) => (event.currentTarget as HTMLInputElement).value;
  return (
    <>
      <div class="branding">
        <SaveForm
          titleId="branding-title"
          title={
            <>
              {t("branding")}: <bdi>{site.name}</bdi>
            </>
          }
          status={status}
          onSave={() => client.admin.sites.update(site.id, { branding: branding.value, locale: locale.value }).then(onSaved)}
        >
          <label>
            {t("widgetTitle")}
            <input required maxLength={80} value={branding.value.name} onInput={(event) => brand({ name: text(event) })} />
          </label>
          <label>
            {t("greeting")}
            <textarea rows={2} maxLength={280} value={branding.value.greeting} onInput={(event) => brand({ greeting: text(event) })} />
          </label>
          <label>
            {t("primaryColor")}
            <input type="color" value={branding.value.primaryColor} onInput={(event) => brand({ primaryColor: text(event) })} />
          </label>
          <label>
            {t("position")}
            <select value={branding.value.position} onChange={(event) => brand({ position: text(event) as Branding["position"] })}>
              <option value="bottom-right">{t("bottomRight")}</option>
              <option value="bottom-left">{t("bottomLeft")}</option>
            </select>
          </label>
          <label>
            {t("launcherText")}
            <input maxLength={40} value={branding.value.launcherText ?? ""} onInput={(event) => brand({ launcherText: text(event).trim() || null })} />
          </label>
          <label>
            {t("widgetLanguage")}
            <select value={locale.value} onChange={(event) => ((locale.value = text(event)), (status.value = null))}>
              {WIDGET_LOCALES.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </label>
        </SaveForm>
        <WidgetPreview siteKey={site.key} branding={branding.value} locale={locale.value} theme={prefs.theme.value} />
      </div>
      <SiteAccess site={site} onSaved={onSaved} />
      <Embed site={site} />
    </>
  );
}

/** Where the widget may run and who may use it: allowed origins, verified identity only, and the secret that signs identities. */
function SiteAccess({ site, onSaved }: { site: Site; onSaved(): void }) {
  const t = useT();
  const { client } = useWorkspace();
  const status = useSaveStatus();
  const confirming = useSignal(false);
  const secret = useSignal<string | null>(null);
  const rotation = (
    <>
      <h3>{t("identitySecret")}</h3>
      <p class="muted">{t("secretHidden")}</p>
      {confirming.value ? (
        <p role="group" aria-label={t("rotateSecret")}>
          {t("rotateWarning")}{" "}
          <button
            type="button"
            class="danger"
            onClick={async () => {
              confirming.value = false;
              try {
                secret.value = (await client.admin.sites.rotateSecret(site.id)).identitySecret;
              } catch (failure) {
                status.value = { ok: false, text: messageOf(failure) };
              }
            }}
          >
            {t("confirm")}
          </button>{" "}
          <button type="button" onClick={() => (confirming.value = false)}>
            {t("cancel")}
          </button>
        </p>
      ) : (
        <button type="button" onClick={() => ((secret.value = null), (confirming.value = true))}>
          {t("rotateSecret")}
        </button>
      )}
      {secret.value && (
        <p class="notice" role="status">
          {t("secretOnce", { secret: "" })}
          <code class="secret">{secret.value}</code>
        </p>
      )}
    </>
  );
  return (
    <SaveForm
      titleId="access-title"
      title={t("access")}
      status={status}
      onSave={(form) => client.admin.sites.update(site.id, { allowedOrigins: field(form, "origins").split(/\s+/).filter(Boolean), requireVerifiedIdentity: form.get("verified") === "on" }).then(onSaved)}
      extra={rotation}
    >
      <label>
        {t("origins")} <small class="muted">{t("originsHint")}</small>
        <textarea name="origins" rows={3} defaultValue={site.allowedOrigins.join("\n")} />
      </label>
      <label class="check">
        <input type="checkbox" name="verified" defaultChecked={site.requireVerifiedIdentity} /> {t("requireVerified")}
      </label>
    </SaveForm>
  );
}

function Embed({ site }: { site: Site }) {
  const t = useT();
  const copied = useSignal(false);
  const snippet = `<script src="${location.origin}/parley.js" data-site="${site.key}" async></script>`;
  return (
    <section class="card" aria-labelledby="embed-title">
      <h2 id="embed-title">{t("snippet")}</h2>
      <p>
        {t("key")}: <code>{site.key}</code>
      </p>
      <label>
        {t("snippet")}
        <textarea readOnly rows={2} value={snippet} />
      </label>
      <button
        type="button"
        onClick={async () => {
          await navigator.clipboard?.writeText(snippet);
          copied.value = true;
        }}
      >
        {copied.value ? t("copied") : t("copy")}
      </button>
    </section>
  );
}
