import { ClientRequest, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * An event create whose body is sent in two parts: the headers and the first half now, the rest on
 * `finish()`. Until then the request is in flight on the server, for as long as the test likes.
 */
export class SlowCreate {
  private readonly request: ClientRequest;
  private readonly rest: string;
  readonly response: Promise<RawResponse>;
  /** Resolves once the first half has left this process. */
  readonly sent: Promise<void>;

  constructor(baseUrl: string, key: string, event: Record<string, unknown>) {
    const body = JSON.stringify(event);
    const half = Math.floor(body.length / 2);
    this.rest = body.slice(half);
    this.request = request(`${baseUrl}/api/v3/events/events/`, {
      method: 'POST',
      agent: false,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    this.response = new Promise((resolve, reject) => {
      this.request.once('error', reject);
      this.request.once('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('error', reject);
        response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
      });
    });
    this.response.catch(() => undefined); // observed by the test through `finish()` or `response`
    this.sent = new Promise((resolve) => this.request.write(body.slice(0, half), () => resolve()));
  }

  finish(): Promise<RawResponse> {
    this.request.end(this.rest);
    return this.response;
  }

  abort(): void {
    this.request.destroy();
  }
}
