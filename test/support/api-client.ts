/** A response as the tests look at it. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or undefined when there is none / it is not JSON. */
  body: T;
  text: string;
}

export interface RequestOptions {
  /** JSON body (serialised with JSON.stringify). */
  body?: unknown;
  /** Raw body sent as is (for malformed JSON, other content types...). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Overrides the client's key; `null` sends no Authorization header. */
  token?: string | null;
  /** Aborts the request (e.g. `AbortSignal.timeout(ms)`, to fail on a hang instead of waiting). */
  signal?: AbortSignal;
  /** `false`: leave `body` undefined and only read `text` (parsing a huge answer is left to the caller). */
  parse?: boolean;
}

/** Real HTTP over fetch; no mocks between the test and the server. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly key?: string,
  ) {}

  withKey(key: string): ApiClient {
    return new ApiClient(this.baseUrl, key);
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const key = options.token === undefined ? this.key : options.token;
    if (key && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.Authorization = `Bearer ${key}`;
    }
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, signal: options.signal });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' || options.parse === false ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}
