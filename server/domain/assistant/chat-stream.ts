/**
 * The pieces of an OpenAI-compatible chat completion that need no network: the messages
 * sent (the question and the retrieved articles, already redacted by the caller), and the
 * reading of a streamed answer, Server-Sent Events of `data: {chunk}` lines ending in `data: [DONE]`.
 */

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

export interface ContextArticle {
  title: string;
  url: string;
  text: string;
}

/** Longest piece of one article given as context: the provider is billed per token. */
export const CONTEXT_CHARS_PER_ARTICLE = 2500;

export function chatMessages(question: string, articles: readonly ContextArticle[]): ChatMessage[] {
  const context = articles.map((article, index) => `[${index + 1}] ${article.title} (${article.url})\n${article.text.slice(0, CONTEXT_CHARS_PER_ARTICLE)}`).join("\n\n");
  return [
    {
      role: "system",
      content:
        "You answer customer support questions using only the help-centre articles below. Reply in two or three sentences, " +
        "quote the article where you can, and say which article you used by its title. If the articles do not answer the " +
        `question, say so and that a person will reply.\n\nArticles:\n${context}`,
    },
    { role: "user", content: question },
  ];
}

export interface StreamDelta {
  /** Text added to the answer by this event ("" for none). */
  text: string;
  /** Sent by providers in the last chunk when asked for (`stream_options.include_usage`). */
  usage?: { promptTokens: number; completionTokens: number };
  done: boolean;
}

/** One `data:` payload of the stream; a payload that is not a chunk is an error, not skipped. */
export function readChunk(data: string): StreamDelta {
  if (data.trim() === "[DONE]") return { text: "", done: true };
  const chunk = JSON.parse(data) as {
    choices?: { delta?: { content?: unknown } }[];
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
    error?: { message?: unknown };
  };
  if (chunk.error) throw new Error(`provider error: ${String(chunk.error.message ?? "unknown")}`);
  const content = chunk.choices?.[0]?.delta?.content;
  const delta: StreamDelta = { text: typeof content === "string" ? content : "", done: false };
  const usage = chunk.usage;
  if (usage && typeof usage.prompt_tokens === "number" && typeof usage.completion_tokens === "number") {
    delta.usage = { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  }
  return delta;
}

/**
 * Splits a byte stream's text into SSE `data:` payloads as it arrives: lines may be cut
 * anywhere between chunks, events end at a blank line, multi-line data joins with "\n".
 */
export function sseDataReader(): { push(text: string): string[]; end(): string[] } {
  let buffer = "";
  let data: string[] = [];
  const lines = (final: boolean) => {
    const events: string[] = [];
    const parts = buffer.split(/\r\n|\r|\n/);
    buffer = final ? "" : (parts.pop() ?? "");
    for (const line of parts) {
      if (line === "") {
        if (data.length > 0) events.push(data.join("\n"));
        data = [];
      } else if (line.startsWith("data:")) {
        data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
      }
      // Comments (":"), event names and ids carry nothing a chat completion needs.
    }
    if (final && data.length > 0) {
      events.push(data.join("\n"));
      data = [];
    }
    return events;
  };
  return {
    push(text) {
      buffer += text;
      return lines(false);
    },
    end: () => lines(true),
  };
}

/** Roughly four characters a token, for providers that report no usage. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/** The first moment (epoch ms, UTC) of the month `at` falls in: budgets are per calendar month. */
export function monthStart(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}
