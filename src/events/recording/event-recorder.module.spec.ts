import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventsService } from '../events.service';
import { EventRecorder } from './event-recorder';
import { EventRecorderModule } from './event-recorder.module';

const events = { recorderFor: jest.fn((app: string) => ({ app })) };

@Module({ providers: [{ provide: EventsService, useValue: events }], exports: [EventsService] })
class StandInEventsModule {}

@Injectable()
class FlowsService {
  constructor(readonly recorder: EventRecorder) {}
}
@Module({ imports: [EventRecorderModule.register(StandInEventsModule, 'authentik.flows')], providers: [FlowsService] })
class FlowsModule {}

@Injectable()
class StagesService {
  constructor(
    readonly recorder: EventRecorder,
    readonly events: EventsService,
  ) {}
}
@Module({ imports: [EventRecorderModule.register(StandInEventsModule, 'authentik.stages')], providers: [StagesService] })
class StagesModule {}

describe('EventRecorderModule (EventsModule.forFeature)', () => {
  it("gives each importing module a recorder with that module's app, and EventsService", async () => {
    const app = await Test.createTestingModule({ imports: [FlowsModule, StagesModule] }).compile();
    const flows = app.get(FlowsService);
    const stages = app.get(StagesService);
    expect(flows.recorder.app).toBe('authentik.flows');
    expect(stages.recorder.app).toBe('authentik.stages');
    expect(stages.events).toBe(events);
    expect(events.recorderFor.mock.calls).toEqual([['authentik.flows'], ['authentik.stages']]);
  });
});
