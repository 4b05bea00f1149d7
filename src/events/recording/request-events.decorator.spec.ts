import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DrfValidationPipe } from '@app/common';
import type { EventsService } from '../events.service';
import { EventRecorder, RequestEventRecorder } from './event-recorder';
import type { RecordOptions } from './recording.types';
import { RequestEvents } from './request-events.decorator';

/** Stands in for the database-backed service: what would be stored is kept here. */
class RecordedCalls {
  calls: { action: string; options: RecordOptions }[] = [];
  async record(action: string, options: RecordOptions) {
    this.calls.push({ action, options });
    return {} as never;
  }
}

@Controller('logout')
class LogoutController {
  @Get()
  async logout(@RequestEvents() events: RequestEventRecorder): Promise<{ recorded: boolean }> {
    await events.record('logout', { context: { reason: 'button' } });
    return { recorded: events instanceof RequestEventRecorder };
  }
}

describe('@RequestEvents()', () => {
  const service = new RecordedCalls();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    @Module({
      controllers: [LogoutController],
      providers: [{ provide: EventRecorder, useValue: new EventRecorder(service as unknown as EventsService, 'authentik.flows') }],
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
    expect(service.calls).toHaveLength(1);
    const [{ action, options }] = service.calls;
    expect(action).toBe('logout');
    expect(options.app).toBe('authentik.flows');
    expect(options.context).toEqual({ reason: 'button' });
    expect(options.request).toMatchObject({ url: '/logout?next=/', method: 'GET', headers: { 'user-agent': 'spec' } });
  });
});
