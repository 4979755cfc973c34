import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeToken } from "../../protocol/index.js";
import { apiClient, type ApiClient } from "../support/client.js";
import { openRoomSocket, type RoomSocket } from "../support/partykit.js";
import { startRealtimeStack, type RealtimeStack } from "../support/rooms.js";
import { ADMIN } from "../support/server.js";

/**
 * Deactivating an agent through the admin route ends what their tokens opened: their sockets
 * in ticket rooms and site rooms close, and neither a connect ticket issued before the
 * deactivation nor a request for a new one lets them back in. Runs on both room runtimes.
 */

const ROOM_SECRET = "room-secret-for-tests-0123456789abcdef";
const PASSWORD = "revoked-agent-password-1";

let stack: RealtimeStack;
let client: ApiClient;
let admin: { token: string; agentId: string };
const sockets: RoomSocket[] = [];

beforeAll(async () => {
  stack = await startRealtimeStack({ secret: ROOM_SECRET });
  client = apiClient(stack.api.url);
  admin = await client.login(ADMIN.email);
}, 60_000);

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await stack?.stop();
});

async function connectTicket(token: string, body: { ticket: string } | { site: string }) {
  return client.call<RealtimeToken>("POST", "/v1/realtime/token", { token, body });
}

async function connect(ticket: RealtimeToken): Promise<RoomSocket> {
  const socket = await openRoomSocket(new URL(ticket.host).host, ticket.party, ticket.room, ticket.token);
  sockets.push(socket);
  return socket;
}

describe("deactivating an agent", () => {
  it("closes their ticket-room and site-room sockets and lets no connect ticket back in", async () => {
    const email = `revoked-${Date.now().toString(36)}@parley.test`;
    await client.createAgent(admin.token, { email, name: "Rex", password: PASSWORD });
    const rex = await client.login(email, PASSWORD);

    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    const view = await client.call("GET", `/v1/agent/tickets/${number}`, { token: rex.token });
    expect(view.status).toBe(200);

    const ticketRoom = await connectTicket(rex.token, { ticket: number });
    const siteRoom = await connectTicket(rex.token, { site: view.body.siteId });
    // Issued before the deactivation and still within its lifetime: the room must refuse it.
    const spare = await connectTicket(rex.token, { ticket: number });
    // The same for a ticket room nobody is in when the deactivation is announced.
    const quiet = await client.ticket(visitor.token);
    const unopened = await connectTicket(rex.token, { ticket: quiet.number });
    for (const reply of [ticketRoom, siteRoom, spare, unopened]) expect(reply.status).toBe(200);

    const inTicket = await connect(ticketRoom.body);
    const inSite = await connect(siteRoom.body);
    await inTicket.next((frame) => frame.type === "presence.changed");
    await inSite.next((frame) => frame.type === "presence.changed");

    // Someone else in the ticket room, who must keep their socket.
    const visitorTicket = await connectTicket(visitor.token, { ticket: number });
    expect(visitorTicket.status).toBe(200);
    const vera = await connect(visitorTicket.body);
    await vera.next((frame) => frame.type === "presence.changed");

    const deactivated = await client.call("DELETE", `/v1/admin/agents/${rex.agentId}`, { token: admin.token });
    expect(deactivated.status).toBe(200);

    const [ticketClosed, siteClosed] = await Promise.all([inTicket.closed, inSite.closed]);
    expect(ticketClosed).toEqual({ code: 1008, reason: "access revoked" });
    expect(siteClosed).toEqual({ code: 1008, reason: "access revoked" });

    // The visitor stays, and hears that the agent left.
    const presence = await vera.next<{ participants: { userId: string }[] }>(
      (frame) => frame.type === "presence.changed" && !frame.participants.some((p: { userId: string }) => p.userId === rex.agentId),
    );
    expect(presence.participants.map((p) => p.userId)).toEqual([visitor.visitorId]);
    expect(vera.ws.readyState).toBe(vera.ws.OPEN);

    // The room checks revocations on connect (the handshake check holds no room state).
    const late = await connect(spare.body);
    expect(await late.closed).toEqual({ code: 1008, reason: "access revoked" });
    // Refused on arrival, or closed as soon as the revocation reaches the room: never let stay.
    const intoEmpty = await connect(unopened.body);
    expect(await intoEmpty.closed).toEqual({ code: 1008, reason: "access revoked" });
    const fresh = await client.call("POST", "/v1/realtime/token", { token: rex.token, body: { ticket: number } });
    expect(fresh.status).toBe(401);
    expect(fresh.body.error.code).toBe("unauthorized");
  });
});

describe("taking a site away from an agent", () => {
  it("closes their sockets in that site's rooms only, refuses the connect tickets they hold for them and returns their tickets there to the queue", async () => {
    const other = await client.call("POST", "/v1/admin/sites", { token: admin.token, body: { name: `Kept ${Date.now().toString(36)}` } });
    expect(other.status).toBe(201);
    const demoSiteId = await client.siteId(admin.token);
    const email = `moved-${Date.now().toString(36)}@parley.test`;
    const created = await client.createAgent(admin.token, { email, name: "Mo", password: PASSWORD, siteIds: [demoSiteId, other.body.id] });
    const mo = await client.login(email, PASSWORD);

    const visitor = await client.visitor();
    const { number } = await client.ticket(visitor.token);
    expect((await client.call("POST", `/v1/agent/tickets/${number}/assign`, { token: admin.token, body: { agentId: created.id } })).status).toBe(200);

    const ticketRoom = await connectTicket(mo.token, { ticket: number });
    const siteRoom = await connectTicket(mo.token, { site: demoSiteId });
    const keptRoom = await connectTicket(mo.token, { site: other.body.id });
    const spare = await connectTicket(mo.token, { site: demoSiteId });
    for (const reply of [ticketRoom, siteRoom, keptRoom, spare]) expect(reply.status).toBe(200);
    const inTicket = await connect(ticketRoom.body);
    const inSite = await connect(siteRoom.body);
    const inKept = await connect(keptRoom.body);
    for (const socket of [inTicket, inSite, inKept]) await socket.next((frame) => frame.type === "presence.changed");
    // The admin stays in the site room, which keeps it (and what it remembers of revocations) alive.
    const watcher = await connect((await connectTicket(admin.token, { site: demoSiteId })).body);
    await watcher.next((frame) => frame.type === "presence.changed");

    const removed = await client.call("DELETE", `/v1/admin/agents/${created.id}/sites/${demoSiteId}`, { token: admin.token });
    expect(removed.status).toBe(200);
    expect(removed.body.siteIds).toEqual([other.body.id]);

    const [ticketClosed, siteClosed] = await Promise.all([inTicket.closed, inSite.closed]);
    expect(ticketClosed).toEqual({ code: 1008, reason: "access revoked" });
    expect(siteClosed).toEqual({ code: 1008, reason: "access revoked" });
    // The site it keeps keeps its socket: a frame still reaches it after the revocations went out.
    expect((await client.call("PATCH", "/v1/agent/me", { token: mo.token, body: { status: "busy" } })).status).toBe(200);
    await inKept.next((frame) => frame.type === "agent.status_changed");
    expect(inKept.ws.readyState).toBe(inKept.ws.OPEN);

    const late = await connect(spare.body);
    expect(await late.closed).toEqual({ code: 1008, reason: "access revoked" });
    for (const body of [{ ticket: number }, { site: demoSiteId }]) {
      const fresh = await client.call("POST", "/v1/realtime/token", { token: mo.token, body });
      expect([body, fresh.status, fresh.body.error.code]).toEqual([body, 404, "not_found"]);
    }

    const ticket = await client.call("GET", `/v1/agent/tickets/${number}`, { token: admin.token });
    expect(ticket.body.assigneeId).toBeNull();
    const history = await client.call("GET", `/v1/agent/tickets/${number}/history`, { token: admin.token });
    expect(history.body.items.filter((e: { type: string }) => e.type === "assigned").at(-1)).toMatchObject({
      actorId: admin.agentId,
      data: { from: created.id, to: null, reason: "agent removed from the site" },
    });
  });
});
