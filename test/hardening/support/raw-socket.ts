import { connect } from 'node:net';

export interface SocketAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `request` as it is onto a fresh TCP connection and reads until the server closes it
 * (so the request must make it close: HTTP/1.0, `Connection: close`, or a refusal): for what no
 * HTTP client will send (CONNECT to a path, a request without Host).
 */
export function sendOnSocket(baseUrl: string, request: string): Promise<SocketAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // Not ended by us: a half-closed connection may be dropped before the answer is written.
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request, 'latin1'));
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n') });
    });
  });
}
