import { useApp, useT } from "../context.js";
import type { MessageKey } from "../i18n.js";
import { Dialog } from "./Dialog.js";

export const SHORTCUTS: Array<[string, MessageKey]> = [
  ["j", "keyNext"],
  ["k", "keyPrev"],
  ["r", "keyReply"],
  ["n", "keyNote"],
  ["a", "keyAssign"],
  ["e", "keyResolve"],
  ["/", "keyCanned"],
  ["Ctrl K", "keyPalette"],
  ["?", "keyHelp"],
  ["Ctrl Enter", "keySend"],
];

export function HelpDialog() {
  const { ui } = useApp();
  const t = useT();
  const close = () => (ui.help.value = false);
  return (
    <Dialog open={ui.help.value} onClose={close} label={t("help")} class="help">
      <h2>{t("help")}</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([keys, label]) => (
            <tr key={keys}>
              <th scope="row">
                {keys.split(" ").map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </th>
              <td>{t(label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={close}>
        {t("close")}
      </button>
    </Dialog>
  );
}
