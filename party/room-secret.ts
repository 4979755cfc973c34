/** The variable that holds the secret shared with the API (`--var PARLEY_ROOM_SECRET=…`). */
export const ROOM_SECRET_VAR = "PARLEY_ROOM_SECRET";

/** The shared secret, or undefined when the room server was started without one. */
export function roomSecret(env: Record<string, unknown>): string | undefined {
  const secret = env[ROOM_SECRET_VAR];
  return typeof secret === "string" && secret.length > 0 ? secret : undefined;
}

/** Without the secret nothing can be verified, so the room refuses everything. */
export function missingSecretResponse(): Response {
  return new Response(
    `${ROOM_SECRET_VAR} is not set: start the room server with --var ${ROOM_SECRET_VAR}=<the API's room secret>`,
    { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
