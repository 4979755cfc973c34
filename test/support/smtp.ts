import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  envelopeTo: string[];
  parsed: ParsedMail;
  raw: Buffer;
}

export interface RunningSmtp {
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  received: ReceivedMail[];
  /** Resolves once `count` mails in all have arrived (now or later); rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /**
   * Answer RCPT TO for this address with `code`: 550 (an unknown mailbox) by default, for
   * good; `times` limits it to the next few (a 451 "try again later" that passes).
   */
  refuse(address: string, code?: number, times?: number): void;
  stop(): Promise<void>;
}

/** A real SMTP server (smtp-server from npm) on loopback that keeps every mail it accepts, parsed with mailparser. */
export async function startSmtp(): Promise<RunningSmtp> {
  const received: ReceivedMail[] = [];
  const refused = new Map<string, { code: number; left: number }>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refused.get(address.address.toLowerCase());
      if (refusal && refusal.left > 0) {
        refusal.left -= 1;
        const error = Object.assign(new Error(refusal.code >= 500 ? "no such mailbox" : "mailbox busy, try again later"), { responseCode: refusal.code });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), parsed, raw });
            settle();
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.server.address();
      if (address && typeof address === "object") resolve(address.port);
      else reject(new Error("the SMTP server has no port"));
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor(count, timeoutMs = 10_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${count} mails, got ${received.length}`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(received)) });
      });
    },
    refuse: (address, code = 550, times = Number.POSITIVE_INFINITY) => void refused.set(address.toLowerCase(), { code, left: times }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
