import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppMetrics } from './app-metrics';

export const METRICS_PATH = '/metrics';

/**
 * Prometheus' scrape target, like authentik's metrics listener (`/metrics` on 0.0.0.0:9300): a
 * plain Node server on a port of its own, so it shares nothing with the public API (no routes, no
 * auth, no proxy in front) and the API port never serves it. Keep the port unexposed.
 */
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private readonly server = createServer((request, response) => void this.answer(request, response));

  constructor(
    private readonly metrics: AppMetrics,
    private readonly listen: { port: number; host: string },
  ) {
    // Prometheus scrapes every few seconds on one connection; keep it open between scrapes.
    this.server.keepAliveTimeout = 65_000;
  }

  /** A taken port fails the start, like the API's own port would. */
  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.listen.port, this.listen.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.log(`Prometheus metrics on http://${this.listen.host}:${this.address().port}${METRICS_PATH}`);
  }

  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** After the API has drained (Nest's last shutdown step), so the drain itself can be scraped. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) return this.reply(response, 404, 'Not found: metrics are at /metrics\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return this.reply(response, 405, 'Method not allowed\n');
    }
    try {
      const body = await this.metrics.registry.metrics();
      response.writeHead(200, { 'Content-Type': this.metrics.registry.contentType, 'Cache-Control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error(`collecting metrics failed: ${(error as Error).stack ?? error}`);
      this.reply(response, 500, 'Collecting metrics failed\n');
    }
  }

  private reply(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(text);
  }
}
