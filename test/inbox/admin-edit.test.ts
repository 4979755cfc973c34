import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { axeViolations, inboxSuite, openInbox, row, screenshot, signIn, visitor } from "./support/stack.js";

/** Changing and removing what the admin screens list, the business calendar editor, and the queue's tag filter. */
const suite = inboxSuite();

const api = (path: string) => suite.inbox.client.call("GET", path, { token: suite.inbox.adminToken }).then((res) => res.body);

async function adminPage(section: string) {
  const opened = await openInbox(suite.browser, suite.inbox.url);
  await signIn(opened.page, "admin@parley.test");
  await opened.page.goto(`${suite.inbox.url}/inbox/admin/${section}`);
  return opened;
}

async function deleteRow(page: Page, name: string) {
  await page.getByRole("button", { name: `Delete: ${name}` }).click();
  await page.getByRole("group", { name: `Delete ${name}?` }).getByRole("button", { name: "Delete" }).click();
}

describe("admin edits", () => {
  it("renames, describes and deletes a department", async () => {
    const { page, violations, errors } = await adminPage("departments");
    const form = page.getByRole("form", { name: "Create" });
    await form.getByRole("textbox", { name: "Name" }).fill("Returns");
    await form.getByRole("button", { name: "Create" }).click();
    await page.getByRole("cell", { name: "Returns", exact: true }).waitFor();

    await page.getByRole("button", { name: "Edit: Returns" }).click();
    const edit = page.getByRole("form", { name: "Editing Returns" });
    expect(await edit.getByRole("textbox", { name: "Name" }).inputValue()).toBe("Returns");
    await edit.getByRole("textbox", { name: "Name" }).fill("Returns & refunds");
    await edit.getByRole("textbox", { name: "Description" }).fill("Parcels coming back");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("cell", { name: "Parcels coming back" }).waitFor();
    const stored = (await api("/v1/admin/departments?limit=100")).items as Array<{ id: string; name: string; description: string | null }>;
    expect(stored.find((department) => department.name === "Returns & refunds")).toMatchObject({ description: "Parcels coming back" });
    // The form is back to creating.
    await page.getByRole("form", { name: "Create" }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-departments");

    // Asked once more in place; cancel keeps it, confirm removes it.
    await page.getByRole("button", { name: "Delete: Returns & refunds" }).click();
    await page.getByRole("group", { name: "Delete Returns & refunds?" }).getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Delete: Returns & refunds" }).waitFor();
    await deleteRow(page, "Returns & refunds");
    await page.getByRole("cell", { name: "Returns & refunds", exact: true }).waitFor({ state: "detached" });
    expect(((await api("/v1/admin/departments?limit=100")).items as Array<{ name: string }>).map((department) => department.name)).not.toContain("Returns & refunds");
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("renames and deletes a category, and edits and deletes a canned response", async () => {
    await suite.inbox.client.call("POST", "/v1/admin/categories", { token: suite.inbox.adminToken, body: { slug: "returns", name: "Returns" } });
    const canned = await suite.inbox.client.call("POST", "/v1/agent/canned-responses", { token: suite.inbox.adminToken, body: { scope: "personal", shortcut: "/thanks", title: "Thanks", body: "Thanks {{customer.name}}!" } });
    expect(canned.status).toBe(201);
    const { page, violations, errors } = await adminPage("categories");
    await page.getByRole("button", { name: "Edit: returns" }).click();
    const edit = page.getByRole("form", { name: "Editing returns" });
    await edit.getByRole("textbox", { name: "Name" }).fill("Returns and exchanges");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("cell", { name: "Returns and exchanges" }).waitFor();
    await deleteRow(page, "returns");
    await page.getByRole("cell", { name: "Returns and exchanges" }).waitFor({ state: "detached" });
    expect(((await api("/v1/admin/categories?limit=100")).items as Array<{ slug: string }>).map((category) => category.slug)).not.toContain("returns");

    await page.getByRole("link", { name: "Canned responses" }).click();
    await page.getByRole("button", { name: "Edit: /thanks" }).click();
    const cannedForm = page.getByRole("form", { name: "Editing /thanks" });
    expect(await cannedForm.getByRole("textbox", { name: /Body/ }).inputValue()).toBe("Thanks {{customer.name}}!");
    await cannedForm.getByRole("textbox", { name: "Title" }).fill("Thank you");
    await cannedForm.getByRole("textbox", { name: /Body/ }).fill("Thank you, {{customer.name}}.");
    await cannedForm.getByRole("button", { name: "Save" }).click();
    await page.getByRole("cell", { name: "Thank you", exact: true }).waitFor();
    expect((await api(`/v1/agent/canned-responses/${canned.body.id}`)).body).toBe("Thank you, {{customer.name}}.");
    await deleteRow(page, "/thanks");
    await page.getByRole("cell", { name: "Thank you", exact: true }).waitFor({ state: "detached" });
    expect((await suite.inbox.client.call("GET", `/v1/agent/canned-responses/${canned.body.id}`, { token: suite.inbox.adminToken })).status).toBe(404);
    expect(await axeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("edits an SLA policy's targets and the site's business calendar; the server's refusal is shown", async () => {
    const { page, violations, errors } = await adminPage("sla-policies");
    // The seeded policy for urgent tickets.
    const policy = ((await api("/v1/admin/sla-policies?limit=100")).items as Array<{ id: string; priority: string | null; category: string | null }>).find((entry) => entry.priority === "urgent" && entry.category === null)!;
    await page.getByRole("button", { name: "Edit: Urgent" }).click();
    const edit = page.getByRole("form", { name: "Editing Urgent" });
    await edit.getByRole("spinbutton", { name: /First response/ }).fill("15");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("cell", { name: "15 minutes" }).waitFor();
    expect((await api(`/v1/admin/sla-policies/${policy.id}`)).firstResponseMinutes).toBe(15);

    const hours = page.getByRole("form", { name: "Business hours: Acme Cloud" });
    const useHours = hours.getByRole("checkbox", { name: "Measure in business hours" });
    if (!(await useHours.isChecked())) await useHours.check();
    await hours.getByRole("combobox", { name: "Time zone" }).fill("Europe/Paris");
    // Start from one weekday window, then add a Saturday that runs past midnight.
    while ((await hours.getByRole("button", { name: /^Remove: .* \d+$/ }).count()) > 1) await hours.getByRole("button", { name: /^Remove: .* \d+$/ }).last().click();
    await hours.getByRole("combobox", { name: "Day 1" }).selectOption({ label: "Monday" });
    await hours.getByRole("textbox", { name: "Opens: Monday 1" }).fill("08:30");
    await hours.getByRole("textbox", { name: "Closes: Monday 1" }).fill("18:00");
    await hours.getByRole("button", { name: "Add opening hours" }).click();
    await hours.getByRole("combobox", { name: "Day 2" }).selectOption({ label: "Saturday" });
    await hours.getByRole("textbox", { name: "Opens: Saturday 2" }).fill("22:00");
    await hours.getByRole("textbox", { name: "Closes: Saturday 2" }).fill("02:00");
    await hours.getByLabel("Holiday", { exact: true }).fill("2026-12-25");
    await hours.getByRole("button", { name: "Add holiday" }).click();
    await hours.getByRole("button", { name: "Remove: 2026-12-25" }).waitFor();
    await hours.getByRole("button", { name: "Save" }).click();
    await hours.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    const site = await api(`/v1/admin/sites/${suite.inbox.demoSiteId}`);
    expect(site.businessHours).toEqual({
      timezone: "Europe/Paris",
      days: [
        { day: 1, open: "08:30", close: "18:00" },
        { day: 6, open: "22:00", close: "02:00" },
      ],
      holidays: ["2026-12-25"],
    });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "admin-sla");

    // A time zone Intl does not know is refused by the server; the calendar stays as saved.
    await hours.getByRole("combobox", { name: "Time zone" }).fill("Mars/Olympus_Mons");
    await hours.getByRole("button", { name: "Save" }).click();
    await hours.getByRole("alert").waitFor();
    expect((await api(`/v1/admin/sites/${suite.inbox.demoSiteId}`)).businessHours.timezone).toBe("Europe/Paris");

    // Around the clock again.
    await useHours.uncheck();
    await hours.getByRole("button", { name: "Save" }).click();
    await hours.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    expect((await api(`/v1/admin/sites/${suite.inbox.demoSiteId}`)).businessHours).toBeNull();
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("the queue's tag filter", () => {
  it("shows only the tickets carrying the typed tag, and a new tagged ticket arrives live", async () => {
    const customer = await visitor(suite.inbox.url, "pk_demo", "Tag Tester");
    const vip = await customer.open("Tagged for the VIP desk", "Please hurry.");
    const plain = await customer.open("Not tagged at all", "No rush.");
    await suite.inbox.client.call("PATCH", `/v1/agent/tickets/${vip.ticket.number}`, { token: suite.inbox.adminToken, body: { tags: ["vip-desk"] } });
    const { page, violations, errors } = await openInbox(suite.browser, suite.inbox.url);
    await signIn(page, "admin@parley.test");
    await row(page, plain.ticket.number).waitFor();
    await page.getByLabel("Tag", { exact: true }).fill("VIP-desk");
    await row(page, plain.ticket.number).waitFor({ state: "detached" });
    await row(page, vip.ticket.number).waitFor();
    expect(await page.locator(".ticket-row").count()).toBe(1);
    // A later ticket tagged the same joins the filtered queue without a reload.
    const later = await customer.open("Also for the VIP desk", "Thanks.");
    await suite.inbox.client.call("PATCH", `/v1/agent/tickets/${later.ticket.number}`, { token: suite.inbox.adminToken, body: { tags: ["vip-desk"] } });
    await row(page, later.ticket.number).waitFor();
    // A tag no ticket can carry is not sent.
    await page.getByLabel("Tag", { exact: true }).fill("a,b");
    expect(await page.getByLabel("Tag", { exact: true }).evaluate((input) => (input as HTMLInputElement).validity.valid)).toBe(false);
    await page.getByLabel("Tag", { exact: true }).fill("");
    await row(page, plain.ticket.number).waitFor();
    for (const opened of [vip, plain, later]) opened.live.close();
    expect(await axeViolations(page)).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
