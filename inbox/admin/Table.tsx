import type { ComponentChildren } from "preact";
import { useT } from "../context.js";

export type Column<Row> = [string, (row: Row) => ComponentChildren];

/** A list as a table: a header per column, a row per record (or "loading" until the rows come). */
export function Table<Row>({ rows, columns, rowKey, label }: { rows: Row[] | null; columns: Array<Column<Row>>; rowKey(row: Row): string; label?: string }) {
  const t = useT();
  if (!rows) return <p role="status">{t("loading")}</p>;
  return (
    // Focusable, so a table wider than a phone can be scrolled from the keyboard.
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label ?? columns.map(([name]) => name).join(", ")}>
      <table class="data">
        <thead>
          <tr>
            {columns.map(([label]) => (
              <th scope="col" key={label}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map(([label, cell]) => (
                <td key={label}>{cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
