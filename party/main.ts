import type * as Party from "partykit/server";

/**
 * PartyKit's required main party. Parley serves nothing here: the rooms are
 * /parties/ticket/<ticketId> and /parties/site/<siteId>, so everything else is a 404.
 */
const notFound = () =>
  new Response("not found: rooms live at /parties/ticket/<id> and /parties/site/<id>", { status: 404 });

export default class NoRoom implements Party.Server {
  static onFetch() {
    return notFound();
  }
  static onBeforeConnect() {
    return notFound();
  }
  static onBeforeRequest() {
    return notFound();
  }

  constructor(readonly room: Party.Room) {}

  onRequest() {
    return notFound();
  }
}

NoRoom satisfies Party.Worker;
