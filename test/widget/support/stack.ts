import { apiClient, type ApiClient } from "../../support/client.js";
import { startRealtimeStack, type RunningRooms } from "../../support/rooms.js";
import { ADMIN, type RunningApi } from "../../support/server.js";
import { startHostServer, type HostServer } from "./host-server.js";

const ROOM_SECRET = "room-secret-for-widget-tests-0123456789";

/**
 * The real stack the widget talks to (the API on Node, serving the built widget, with the
 * rooms in-process, as `npm start` runs it) and a host site. The realtime suite covers the
 * rooms on `partykit dev` as well.
 */
export interface WidgetStack {
  api: RunningApi;
  rooms: RunningRooms;
  host: HostServer;
  client: ApiClient;
  adminToken: string;
  /** Changes the demo site (pk_demo) through the admin API. */
  updateDemo(fields: Record<string, unknown>): Promise<void>;
  /** Creates a site that accepts the host site's origin; answers its key. */
  createSite(name: string, fields?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

export async function startWidgetStack(): Promise<WidgetStack> {
  const realtime = await startRealtimeStack({ secret: ROOM_SECRET, rooms: "inprocess" });
  const { api, rooms } = realtime;
  const host = await startHostServer(api.url, rooms.url);
  const client = apiClient(api.url);
  const { token: adminToken } = await client.login(ADMIN.email);
  // The demo site accepts its own /demo page; the host site embeds it too.
  const sites = await client.call("GET", "/v1/admin/sites", { token: adminToken });
  const demo = (sites.body.items as Array<{ id: string; key: string; allowedOrigins: string[] }>).find((site) => site.key === "pk_demo")!;
  // These panels talk to the team directly; the assistant's own tests turn it back on.
  const updateDemo = async (fields: Record<string, unknown>) => {
    const patched = await client.call("PATCH", `/v1/admin/sites/${demo.id}`, { token: adminToken, body: fields });
    if (patched.status !== 200) throw new Error(`demo site: ${patched.status} ${JSON.stringify(patched.body)}`);
  };
  await updateDemo({ allowedOrigins: [...demo.allowedOrigins, host.origin], assistantEnabled: false });
  const team = ((await client.call("GET", "/v1/admin/agents?limit=100", { token: adminToken })).body.items as { id: string; role: string }[]).filter((agent) => agent.role === "agent");
  return {
    api,
    rooms,
    host,
    client,
    adminToken,
    updateDemo,
    async createSite(name, fields = {}) {
      const res = await client.call("POST", "/v1/admin/sites", { token: adminToken, body: { name, allowedOrigins: [host.origin], ...fields } });
      if (res.status !== 201) throw new Error(`site: ${res.status} ${JSON.stringify(res.body)}`);
      // The seeded team answers every site these tests make, as it answers the demo site.
      for (const agent of team) {
        const added = await client.call("POST", `/v1/admin/agents/${agent.id}/sites`, { token: adminToken, body: { siteId: res.body.id } });
        if (added.status !== 200) throw new Error(`membership: ${added.status} ${JSON.stringify(added.body)}`);
      }
      return res.body.key as string;
    },
    async stop() {
      await host.stop();
      await realtime.stop();
    },
  };
}
