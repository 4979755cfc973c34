import { html, nothing, type TemplateResult } from "lit";
import type { Translate } from "./i18n/index.js";

/** A labelled form field; optional ones say so in the label. */
export const field = (t: Translate, id: string, label: string, control: TemplateResult, required = true) =>
  html`<div class="field">
    <label for=${id}>${label}${required ? nothing : html` <span class="hint">(${t("optional")})</span>`}</label>
    ${control}
  </div>`;

/** The trimmed text value of a named form control. */
export const formText = (data: FormData, name: string) => String(data.get(name) ?? "").trim();
