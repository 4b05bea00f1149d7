import type { EventDto } from '../dto/event.dto';
import type { EventsService } from '../events.service';
import { EventRecorder } from './event-recorder';
import type { RecordableRequest, RecordOptions } from './recording.types';

/** Stands in for the database-backed service: keeps what would be stored. */
class RecordedCalls {
  calls: { action: string; options: RecordOptions }[] = [];
  async record(action: string, options: RecordOptions): Promise<EventDto> {
    this.calls.push({ action, options });
    return {} as EventDto;
  }
}

const request: RecordableRequest = { url: '/logout', method: 'POST', headers: {}, raw: {}, socket: {} };

/*
 * Both recorders take `record(action, options)`. The `@ts-expect-error` lines are checked by
 * `tsc` (and ts-jest): each is a misuse the types must reject, and an unused one fails the build.
 */
describe('record(action, options): one signature for EventRecorder and RequestEventRecorder', () => {
  it('hands the service the same options from both, the request recorder adding only its request', async () => {
    const service = new RecordedCalls();
    const recorder = new EventRecorder(service as unknown as EventsService, 'authentik.flows');
    // Both resolve to the event as the API shows it (test/module-recipe checks the values).
    const shown: EventDto[] = [
      await recorder.record('logout', { context: { reason: 'button' } }),
      await recorder.forRequest(request).record('logout', { context: { reason: 'button' } }),
    ];
    expect(shown).toHaveLength(2);
    expect(service.calls).toEqual([
      { action: 'logout', options: { app: 'authentik.flows', context: { reason: 'button' } } },
      { action: 'logout', options: { app: 'authentik.flows', context: { reason: 'button' }, request } },
    ]);
  });

  it('rejects, at compile time, a context passed where the options belong', () => {
    const recorder = new EventRecorder(new RecordedCalls() as unknown as EventsService, 'authentik.flows');
    const details = { reason: 'button' };
    const misuses = [
      // @ts-expect-error a context literal is not the options
      () => recorder.record('logout', { reason: 'button' }),
      // @ts-expect-error nor is a context variable sharing no key with the options
      () => recorder.record('logout', details),
      // @ts-expect-error the same for the request recorder
      () => recorder.forRequest(request).record('logout', { reason: 'button' }),
      // @ts-expect-error the request recorder has its request already
      () => recorder.forRequest(request).record('logout', { request }),
    ];
    expect(misuses).toHaveLength(4);
  });
});
