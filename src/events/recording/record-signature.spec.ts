import { parseTrustedProxies } from '../../config/trusted-proxies';
import type { EventDto } from '../dto/event.dto';
import { EventRecorder, RecorderSettings } from './event-recorder';
import { StoredEvents } from './testing';
import type { RecordableRequest } from './recording.types';

const FLOWS: RecorderSettings = { app: 'authentik.flows', trustedProxies: parseTrustedProxies(''), mayPauseInTransactions: true };

const request: RecordableRequest = { url: '/logout', method: 'POST', headers: {}, raw: {}, socket: {} };

/*
 * Both recorders take `record(action, options)`. The `@ts-expect-error` lines are checked by
 * `tsc` (and ts-jest): each is a misuse the types must reject, and an unused one fails the build.
 */
describe('record(action, options): one signature for EventRecorder and RequestEventRecorder', () => {
  it('stores the same event from both, the request recorder adding only what its request gives', async () => {
    const service = new StoredEvents();
    const recorder = new EventRecorder(service, FLOWS);
    // Both resolve to the event as the API shows it (test/module-recipe checks the values).
    const shown: EventDto[] = [
      await recorder.record('logout', { context: { reason: 'button' } }),
      await recorder.forRequest(request).record('logout', { context: { reason: 'button' } }),
    ];
    expect(shown).toHaveLength(2);
    const [plain, withRequest] = service.stored;
    expect(plain).toMatchObject({ action: 'logout', app: 'authentik.flows', context: { reason: 'button' }, client_ip: null });
    // The request adds its http_request (and a client_ip); nothing else differs.
    expect({ ...withRequest, context: plain.context, client_ip: null }).toEqual(plain);
    expect(withRequest.context).toMatchObject({ reason: 'button', http_request: { path: '/logout', method: 'POST' } });
  });

  it('rejects, at compile time, a context passed where the options belong', () => {
    const recorder = new EventRecorder(new StoredEvents(), FLOWS);
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
