import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DrfValidationPipe } from '@app/common';
import { parseTrustedProxies } from '../../config/trusted-proxies';
import { EventRecorder, RequestEventRecorder } from './event-recorder';
import { StoredEvents } from './testing';
import { RequestEvents } from './request-events.decorator';

@Controller('logout')
class LogoutController {
  @Get()
  async logout(@RequestEvents() events: RequestEventRecorder): Promise<{ recorded: boolean }> {
    await events.record('logout', { context: { reason: 'button' } });
    return { recorded: events instanceof RequestEventRecorder };
  }
}

describe('@RequestEvents()', () => {
  const service = new StoredEvents();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    @Module({
      controllers: [LogoutController],
      providers: [
        {
          provide: EventRecorder,
          useValue: new EventRecorder(service, {
            app: 'authentik.flows',
            trustedProxies: parseTrustedProxies(''),
            mayPauseInTransactions: true,
          }),
        },
      ],
    })
    class FlowsModule {}
    app = await NestFactory.create<NestFastifyApplication>(FlowsModule, new FastifyAdapter(), { logger: false });
    app.useGlobalPipes(new DrfValidationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => app?.close());

  it("hands the handler its module's recorder, bound to the current request", async () => {
    const response = await app.inject({ method: 'GET', url: '/logout?next=/', headers: { 'user-agent': 'spec' } });
    expect(response.json()).toEqual({ recorded: true });
    expect(service.stored).toHaveLength(1);
    const [stored] = service.stored;
    expect(stored).toMatchObject({ action: 'logout', app: 'authentik.flows' });
    expect(stored.context).toMatchObject({ reason: 'button', http_request: { path: '/logout', method: 'GET', user_agent: 'spec' } });
  });
});
