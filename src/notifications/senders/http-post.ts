import { NotificationTransportError } from './sender';

/** The most of a receiver's answer that is read; the rest is dropped (a receiver cannot flood us). */
export const RESPONSE_TEXT_LIMIT = 64 * 1024;

export interface PostResult {
  status: number;
  text: string;
}

/**
 * POSTs `body` (already serialised JSON) within `timeoutMs` (connection to last byte) and reads at most `RESPONSE_TEXT_LIMIT` bytes of the
 * answer. Redirects are followed, as `requests` does. A 4xx/5xx answer, a timeout or a network
 * error throws `NotificationTransportError` with the answer's text or the error's message.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...headers },
      redirect: 'follow',
      signal,
    });
  } catch (error) {
    throw new NotificationTransportError(describe(error, url), { cause: error });
  }
  let text: string;
  try {
    text = await readBounded(response);
  } catch (error) {
    throw new NotificationTransportError(describe(error, url), { cause: error });
  }
  if (response.status >= 400) {
    throw new NotificationTransportError(text || `${response.status} ${response.statusText} for url: ${url}`);
  }
  return { status: response.status, text };
}

async function readBounded(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < RESPONSE_TEXT_LIMIT) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= RESPONSE_TEXT_LIMIT) await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, RESPONSE_TEXT_LIMIT).toString('utf8');
}

function describe(error: unknown, url: string): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `Timed out after waiting for ${url}`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message ?? 'fetch failed'}: ${cause} (${url})` : (e?.message ?? String(error));
}
