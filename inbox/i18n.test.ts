import { describe, expect, it } from "vitest";
import { LOCALES, missingKeys, pickLocale, translator } from "./i18n.js";

describe("the inbox's languages", () => {
  it("has every English phrase in French and Arabic (no silent fallbacks)", () => {
    for (const locale of LOCALES) expect(missingKeys(locale), locale).toEqual([]);
    expect(translator("ar")("noteBanner")).not.toBe(translator("en")("noteBanner"));
  });

  it("fills placeholders and keeps unknown ones", () => {
    expect(translator("fr")("bulkDone", { ok: 3, failed: 0 })).toBe("3 modifiés, 0 refusés");
    expect(translator("en")("typing", {})).toBe("{name} is typing…");
  });

  it("prefers the remembered choice, then the browser's languages, then English", () => {
    expect(pickLocale("ar", ["fr-FR"])).toBe("ar");
    expect(pickLocale(null, ["de-DE", "fr-CA"])).toBe("fr");
    expect(pickLocale("xx", ["de"])).toBe("en");
  });
});
