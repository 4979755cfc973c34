import { useT } from "../context.js";
import type { MessageKey } from "../i18n.js";

/** One `<option>` per value, labelled in the agent's language: for a select of statuses, priorities… */
export function TranslatedOptions({ values }: { values: readonly MessageKey[] }) {
  const t = useT();
  return (
    <>
      {values.map((value) => (
        <option key={value} value={value}>
          {t(value)}
        </option>
      ))}
    </>
  );
}
