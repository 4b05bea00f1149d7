import { Agent, request as httpRequest } from 'node:http';

/** A request exactly as it goes on the wire: any method token, a raw path, repeated headers. */
export interface RawRequest {
  method: string;
  /** Sent byte for byte (characters U+0080–U+00FF become single, non-UTF-8 bytes). */
  path: string;
  /** Pairs, so that a header can be sent twice. */
  headers?: [string, string][];
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  body: unknown;
}

/**
 * An HTTP/1.1 client without fetch's manners (fetch normalises `..`, refuses TRACE, merges
 * headers): what a hostile client sends is what the server gets. Keep-alive, so that thousands of
 * requests do not mean thousands of connections.
 */
export class RawHttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  private readonly url: URL;
  /** How many requests this client has sent. */
  sent = 0;

  constructor(baseUrl: string) {
    this.url = new URL(baseUrl);
  }

  send(request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
    this.sent++;
    const headers: string[] = [];
    // Headers given as a list are sent as they are: Node adds no Host of its own then.
    if (!request.headers?.some(([name]) => name.toLowerCase() === 'host')) headers.push('Host', this.url.host);
    for (const [name, value] of request.headers ?? []) headers.push(name, value);
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    // Without a length Node would send POST & co. chunked; a client without a body says 0, as fetch does.
    if (body !== undefined || !['GET', 'HEAD'].includes(request.method)) headers.push('Content-Length', String(body?.length ?? 0));
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: this.url.hostname,
          port: this.url.port,
          method: request.method,
          path: request.path,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parseJson(text) });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`no answer within ${timeoutMs} ms: ${request.method} ${request.path.slice(0, 200)}`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the tests log when an answer is not the one expected. */
export function describeExchange(request: RawRequest, response: RawResponse): string {
  const body = request.body === undefined ? '' : Buffer.from(request.body).toString('latin1');
  return (
    `${request.method} ${request.path.slice(0, 300)}\n` +
    `headers: ${JSON.stringify(request.headers ?? []).slice(0, 300)}\nbody: ${body.slice(0, 300)}\n` +
    `→ ${response.status} ${response.text.slice(0, 500)}`
  );
}
