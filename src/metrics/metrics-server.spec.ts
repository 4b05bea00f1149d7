import { request } from 'node:http';
import { AppMetrics } from './app-metrics';
import { MetricsServer } from './metrics-server';

describe('MetricsServer', () => {
  const servers: MetricsServer[] = [];
  const start = async (port = 0) => {
    const server = new MetricsServer(new AppMetrics(), { port, host: '127.0.0.1' });
    servers.push(server);
    await server.onApplicationBootstrap();
    return server;
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.onApplicationShutdown();
  });

  it('fails the start when its port is taken, instead of running without metrics', async () => {
    const first = await start();
    await expect(start(first.address().port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const url = `http://127.0.0.1:${(await start()).address().port}/metrics`;
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    const del = await fetch(url, { method: 'DELETE' });
    expect([del.status, del.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('closes even while a scraper holds a keep-alive connection open', async () => {
    const server = await start();
    const { port } = server.address();
    const agentResponse = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/metrics', headers: { connection: 'keep-alive' } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
    expect(agentResponse).toBe(200);
    await server.onApplicationShutdown(); // Prometheus keeps its connection open between scrapes
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
