import { readChunk, sseDataReader, estimateTokens, type ChatMessage } from "../domain/assistant/chat-stream.js";

export interface AiCompletion {
  text: string;
  tokensIn: number;
  tokensOut: number;
}

/** An OpenAI-compatible chat-completions endpoint; the key stays in this object, on the server. */
export interface AiProvider {
  name: string;
  model: string;
  /** Streams one answer; `onText` hears the answer so far after each chunk. Rejects on any failure or after the timeout. */
  complete(messages: ChatMessage[], onText?: (soFar: string) => void): Promise<AiCompletion>;
}

export interface AiProviderOptions {
  /** Base URL; the request goes to `{url}/chat/completions`. */
  url: string;
  key: string | undefined;
  model: string;
  timeoutMs: number;
}

/** Longest answer read from a provider; a runaway stream is cut off, not buffered. */
const MAX_ANSWER_CHARS = 4000;

export function createAiProvider(options: AiProviderOptions): AiProvider {
  const endpoint = `${options.url.replace(/\/+$/, "")}/chat/completions`;
  return {
    name: "openai-compatible",
    model: options.model,
    async complete(messages, onText) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
        body: JSON.stringify({ model: options.model, messages, stream: true, stream_options: { include_usage: true } }),
        signal,
        redirect: "error",
      });
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new Error(`provider answered ${response.status}`);
      }
      const reader = sseDataReader();
      const decoder = new TextDecoder();
      let text = "";
      let usage: { promptTokens: number; completionTokens: number } | undefined;
      let done = false;
      const take = (payloads: string[]) => {
        for (const payload of payloads) {
          const delta = readChunk(payload);
          if (delta.usage) usage = delta.usage;
          if (delta.done) done = true;
          if (delta.text) {
            text += delta.text;
            if (text.length > MAX_ANSWER_CHARS) throw new Error("provider answer too long");
            onText?.(text);
          }
        }
      };
      for await (const bytes of response.body) take(reader.push(decoder.decode(bytes, { stream: true })));
      take(reader.end());
      if (!done) throw new Error("provider stream ended before [DONE]");
      if (!text.trim()) throw new Error("provider sent an empty answer");
      const prompt = messages.map((message) => message.content).join("\n");
      return { text: text.trim(), tokensIn: usage?.promptTokens ?? estimateTokens(prompt), tokensOut: usage?.completionTokens ?? estimateTokens(text) };
    },
  };
}
