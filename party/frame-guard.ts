import type { z } from "zod";
import { CLIENT_FRAME_LIMIT, MAX_CLIENT_FRAME_BYTES, type ServerFrame } from "../protocol/realtime.js";

/**
 * Per-connection checks on every incoming frame: size and rate first (abusers are closed
 * with 1008), then JSON and the schema (a bad frame only earns an error frame).
 */

export type FrameError = Extract<ServerFrame, { type: "error" }>;
export type FrameErrorCode = FrameError["code"];
export type FrameVerdict<T> = { ok: true; frame: T } | { ok: false; error: FrameError; close: boolean };
export type RawFrame = string | ArrayBuffer | ArrayBufferView;

/** Close code for a policy violation (oversized frames, flooding). */
export const POLICY_VIOLATION = 1008;

const encoder = new TextEncoder();

function byteLength(raw: RawFrame): number {
  if (typeof raw !== "string") return raw.byteLength;
  // A UTF-8 encoding is never shorter than the UTF-16 length, so skip encoding huge frames.
  return raw.length > MAX_CLIENT_FRAME_BYTES ? raw.length : encoder.encode(raw).byteLength;
}

const reject = (code: FrameErrorCode, message: string, close = false) =>
  ({ ok: false, error: { type: "error", code, message }, close }) as const;

export class FrameGuard {
  /** Arrival times (ms) of the frames inside the current sliding window. */
  #arrivals: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Size and rate: the checks that apply to every frame, whatever the room accepts. */
  admit(raw: RawFrame): FrameVerdict<RawFrame> {
    if (byteLength(raw) > MAX_CLIENT_FRAME_BYTES) {
      return reject("too_large", `frames may be at most ${MAX_CLIENT_FRAME_BYTES} bytes`, true);
    }
    const now = this.now();
    this.#arrivals = this.#arrivals.filter((at) => now - at < CLIENT_FRAME_LIMIT.windowMs);
    this.#arrivals.push(now);
    if (this.#arrivals.length > CLIENT_FRAME_LIMIT.frames) {
      return reject(
        "rate_limited",
        `at most ${CLIENT_FRAME_LIMIT.frames} frames per ${CLIENT_FRAME_LIMIT.windowMs / 1000} s`,
        true,
      );
    }
    return { ok: true, frame: raw };
  }

  /** `admit`, then JSON and `schema.safeParse`. */
  read<T>(raw: RawFrame, schema: z.ZodType<T>): FrameVerdict<T> {
    const admitted = this.admit(raw);
    if (!admitted.ok) return admitted;
    if (typeof raw !== "string") return reject("bad_frame", "frames are JSON text, not binary");
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reject("bad_frame", "frame is not valid JSON");
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      return reject("bad_frame", `${issue?.message ?? "invalid frame"}${where}`);
    }
    return { ok: true, frame: parsed.data };
  }
}

/**
 * The compiler's check that a switch over a discriminated union handles every member; pass
 * the discriminant (`frame.type`), which narrows to never even while the union has one member.
 */
export function unreachable(type: never): never {
  throw new Error(`unhandled frame type: ${JSON.stringify(type)}`);
}
