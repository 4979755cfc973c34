import { describe, expect, it } from "vitest";
import { chatMessages, monthStart, readChunk, sseDataReader } from "./chat-stream.js";

describe("reading a streamed chat completion", () => {
  it("joins data lines cut anywhere between chunks and skips comments", () => {
    const reader = sseDataReader();
    expect(reader.push('data: {"choices":[{"delta":{"cont')).toEqual([]);
    expect(reader.push('ent":"Hi"}}]}\n')).toEqual([]);
    expect(reader.push("\n: ping\n\ndata: [DO")).toEqual(['{"choices":[{"delta":{"content":"Hi"}}]}']);
    expect(reader.push("NE]\r\n\r\n")).toEqual(["[DONE]"]);
    expect(reader.end()).toEqual([]);
  });

  it("reads text, usage and the end, and refuses an error chunk", () => {
    expect(readChunk('{"choices":[{"delta":{"content":"Hi"}}]}')).toEqual({ text: "Hi", done: false });
    expect(readChunk('{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}')).toEqual({ text: "", done: false, usage: { promptTokens: 5, completionTokens: 2 } });
    expect(readChunk("[DONE]").done).toBe(true);
    expect(() => readChunk('{"error":{"message":"quota"}}')).toThrow("provider error: quota");
  });

  it("puts the articles in the system message and the question alone in the user message", () => {
    const [system, user] = chatMessages("Where is my invoice?", [{ title: "Invoices", url: "/v1/faqs/invoices", text: "Go to Billing." }]);
    expect(system!.content).toContain("[1] Invoices (/v1/faqs/invoices)\nGo to Billing.");
    expect(user).toEqual({ role: "user", content: "Where is my invoice?" });
  });

  it("budgets by calendar month in UTC", () => {
    expect(monthStart(Date.UTC(2026, 11, 31, 23, 59))).toBe(Date.UTC(2026, 11, 1));
  });
});
