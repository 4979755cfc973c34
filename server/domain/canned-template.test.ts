import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTemplate, templateProblems, type PlaceholderValues } from "./canned-template.js";

const values: PlaceholderValues = { "customer.name": "Vera", "agent.name": "Ada", "ticket.number": "TKT-2026-000042", "ticket.subject": "Refund" };

describe("canned response templates", () => {
  it("fills every placeholder, with or without spaces inside the braces", () => {
    expect(renderTemplate("Hi {{customer.name}}, {{ agent.name }} here about {{ticket.number}} ({{ticket.subject}}).", values)).toBe(
      "Hi Vera, Ada here about TKT-2026-000042 (Refund).",
    );
  });

  it("uses the fallback, or nothing, when a value is missing", () => {
    const anonymous = { ...values, "customer.name": null };
    expect(renderTemplate("Hi {{customer.name | there}}!", anonymous)).toBe("Hi there!");
    expect(renderTemplate("Hi {{customer.name}}!", anonymous)).toBe("Hi !");
    expect(renderTemplate("Hi {{customer.name | there}}!", { ...values, "customer.name": "  " })).toBe("Hi there!");
    expect(renderTemplate("Hi {{customer.name | there}}!", values)).toBe("Hi Vera!");
  });

  it("treats values as data: template syntax, replacement patterns and markup in a name stay as they are", () => {
    for (const name of ["{{agent.name}}", "$& $1 $$", "<img src=x onerror=alert(1)>", "{{customer.name}}"]) {
      expect(renderTemplate("Hi {{customer.name}}, {{agent.name}}", { ...values, "customer.name": name })).toBe(`Hi ${name}, Ada`);
    }
  });

  it("puts any customer name into the text exactly once, verbatim", () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(renderTemplate("<{{customer.name}}>", { ...values, "customer.name": name })).toBe(name.trim() === "" ? "<>" : `<${name}>`);
      }),
    );
  });

  it("refuses unknown or malformed placeholders at save time, and accepts plain braces", () => {
    expect(templateProblems("Hi {{customer.name}}, {{ agent.name | us }}")).toEqual([]);
    expect(templateProblems("a { brace } and {{ unclosed")).toEqual([]);
    expect(templateProblems("Hi {{customer.nmae}}")).toHaveLength(1);
    expect(templateProblems("Hi {{customer.email}} {{ticket}} {{a|b|c}}")).toHaveLength(3);
  });
});
