import type { ComponentChildren } from "preact";
import { useT } from "../context.js";

/** One admin screen: its heading, the error of its list (if any), and its content. */
export function Section({ title, error, children }: { title: string; error?: string | null; children: ComponentChildren }) {
  const t = useT();
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">{title}</h1>
      {error && <p class="notice error" role="alert">{t("error", { message: error })}</p>}
      {children}
    </section>
  );
}
