import { createRequire } from "node:module";
import { arch, cpus, platform } from "node:os";
import { parseArgs } from "node:util";
import type { Runtime } from "../test/support/server.js";

/** The raw request autocannon is about to send; `setupRequest` returns a changed copy. */
export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Per-connection scratch space autocannon hands to `setupRequest` and `onResponse`. */
export type LoadContext = Record<string, unknown>;

/** One step of a connection's request loop (autocannon's `requests` entries). */
export interface LoadStep {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: LoadRequest, context: LoadContext) => LoadRequest;
  onResponse?: (status: number, body: string, context: LoadContext) => void;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  requests?: LoadStep[];
}

/** The parts of autocannon's result the benchmarks read; latencies are in milliseconds. */
export interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  "2xx": number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (options: LoadOptions) => Promise<LoadResult>;

// autocannon is CommonJS without type declarations; the interfaces above type the part we use.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** Drives `options.url` for `options.duration` seconds and resolves with autocannon's figures. */
export function load(options: LoadOptions): Promise<LoadResult> {
  return autocannon(options);
}

export interface BenchArgs {
  runtime: Runtime;
  duration: number;
  connections: number;
}

const runtimes: readonly Runtime[] = ["node", "bun", "deno"];

/**
 * `--runtime node|bun|deno --duration <seconds> --connections <n>`; anything else is an error.
 * @example readBenchArgs(["--runtime", "bun", "--duration", "5"]) // { runtime: "bun", duration: 5, connections: 20 }
 */
export function readBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      runtime: { type: "string", default: "node" },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "20" },
    },
    strict: true,
    allowPositionals: false,
  });
  const runtime = runtimes.find((name) => name === values.runtime);
  if (!runtime) throw new Error(`--runtime must be one of ${runtimes.join(", ")}, not "${values.runtime}"`);
  return { runtime, duration: positiveInteger("--duration", values.duration), connections: positiveInteger("--connections", values.connections) };
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} must be a whole number above 0, not "${text}"`);
  return value;
}

/** One line naming what the figures were measured on; they mean little without it. */
export function machineLine(runtime: Runtime): string {
  const processors = cpus();
  const model = processors[0]?.model.trim() ?? "unknown CPU";
  return `machine: ${processors.length} CPUs (${model}), ${platform()} ${arch()}; load generator Node ${process.version}; API on ${runtime}`;
}

/** A plain-text table: the first column left-aligned, the figures right-aligned. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/** The `p`th percentile (0–100) of samples already sorted ascending, by rank. */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Runs `work` `warmups` times, then `count` times, and answers its p50 and p99 in ms. */
export async function timed(count: number, work: (i: number) => Promise<unknown>, warmups = Math.min(10, Math.ceil(count / 10))): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < warmups; i++) await work(i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    await work(i);
    samples.push(performance.now() - began);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}
