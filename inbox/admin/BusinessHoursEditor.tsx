import { useSignal } from "@preact/signals";
import type { BusinessHours, Site } from "../../protocol/index.js";
import { useApp, useT, useWorkspace } from "../context.js";
import { SaveForm, useSaveStatus } from "./SaveForm.js";

type Window = BusinessHours["days"][number];
const WEEK = [1, 2, 3, 4, 5, 6, 0];
const TIME = "([01][0-9]|2[0-3]):[0-5][0-9]";
const DEFAULT_HOURS: BusinessHours = {
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
  days: [1, 2, 3, 4, 5].map((day) => ({ day, open: "09:00", close: "17:00" })),
  holidays: [],
};

/** Weekday names in the agent's language (2023-01-01 was a Sunday, day 0). */
const weekday = (locale: string, day: number) => new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(Date.UTC(2023, 0, 1 + day));

/**
 * A site's business calendar: opening windows per weekday in its IANA time zone (a window may
 * run past midnight, or close at 24:00) and the holidays when it stays closed. Without one the
 * SLA clocks run around the clock. The server checks every field (protocol/site.ts) and its
 * refusal is shown here.
 */
export function BusinessHoursEditor({ site, onSaved }: { site: Site; onSaved(): void }) {
  const t = useT();
  const { prefs } = useApp();
  const { client } = useWorkspace();
  const enabled = useSignal(site.businessHours !== null);
  const hours = useSignal<BusinessHours>(site.businessHours ?? DEFAULT_HOURS);
  const holiday = useSignal("");
  const status = useSaveStatus();
  const id = `hours-${site.id}`;
  const change = (next: Partial<BusinessHours>) => {
    hours.value = { ...hours.value, ...next };
    status.value = null;
  };
  const setWindow = (index: number, next: Partial<Window>) => change({ days: hours.value.days.map((window, i) => (i === index ? { ...window, ...next } : window)) });
  const holidays = hours.value.holidays ?? [];
  const locale = prefs.locale.value;
  return (
    <SaveForm
      kind="business-hours"
      titleId={`${id}-title`}
      title={
        <>
          {t("businessHours")}: <bdi>{site.name}</bdi>
        </>
      }
      status={status}
      onSave={() => client.admin.sites.update(site.id, { businessHours: enabled.value ? hours.value : null }).then(onSaved)}
    >
      <label class="check">
        <input type="checkbox" checked={enabled.value} onChange={(event) => ((enabled.value = (event.currentTarget as HTMLInputElement).checked), (status.value = null))} /> {t("useBusinessHours")}
      </label>
      {!enabled.value && <p class="muted">{t("aroundTheClock")}</p>}
      {enabled.value && (
        <>
          <label>
            {t("timezone")}
            <input name="timezone" required list="time-zones" value={hours.value.timezone} onInput={(event) => change({ timezone: (event.currentTarget as HTMLInputElement).value.trim() })} />
          </label>
          <datalist id="time-zones">
            {(Intl.supportedValuesOf?.("timeZone") ?? []).map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <fieldset>
            <legend>{t("openingHours")}</legend>
            <ul class="windows">
              {hours.value.days.map((window, index) => {
                const label = `${weekday(locale, window.day)} ${index + 1}`;
                return (
                  <li key={index}>
                    <select aria-label={`${t("day")} ${index + 1}`} value={String(window.day)} onChange={(event) => setWindow(index, { day: Number((event.currentTarget as HTMLSelectElement).value) })}>
                      {WEEK.map((day) => (
                        <option key={day} value={String(day)}>
                          {weekday(locale, day)}
                        </option>
                      ))}
                    </select>
                    <input aria-label={`${t("opens")}: ${label}`} class="time" required pattern={TIME} placeholder="09:00" value={window.open} onInput={(event) => setWindow(index, { open: (event.currentTarget as HTMLInputElement).value })} />
                    <span aria-hidden="true">–</span>
                    <input aria-label={`${t("closes")}: ${label}`} class="time" required pattern={`${TIME}|24:00`} placeholder="17:00" value={window.close} onInput={(event) => setWindow(index, { close: (event.currentTarget as HTMLInputElement).value })} />
                    <button type="button" aria-label={`${t("remove")}: ${label}`} onClick={() => change({ days: hours.value.days.filter((_, i) => i !== index) })}>
                      {t("remove")}
                    </button>
                  </li>
                );
              })}
            </ul>
            <button type="button" disabled={hours.value.days.length >= 14} onClick={() => change({ days: [...hours.value.days, { day: 1, open: "09:00", close: "17:00" }] })}>
              {t("addHours")}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t("holidays")}</legend>
            <ul class="holidays">
              {holidays.map((date) => (
                <li key={date}>
                  <time dateTime={date}>{date}</time>
                  <button type="button" aria-label={`${t("remove")}: ${date}`} onClick={() => change({ holidays: holidays.filter((other) => other !== date) })}>
                    {t("remove")}
                  </button>
                </li>
              ))}
            </ul>
            <label>
              {t("holiday")}
              <input type="date" value={holiday.value} onInput={(event) => (holiday.value = (event.currentTarget as HTMLInputElement).value)} />
            </label>
            <button
              type="button"
              disabled={!holiday.value || holidays.includes(holiday.value)}
              onClick={() => {
                change({ holidays: [...holidays, holiday.value].sort() });
                holiday.value = "";
              }}
            >
              {t("addHoliday")}
            </button>
          </fieldset>
        </>
      )}
    </SaveForm>
  );
}
