import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { EventRecorder, RequestEventRecorder } from './event-recorder';
import type { RecordableRequest } from './recording.types';

/**
 * Binds the module's `EventRecorder` to the request. Nest resolves a pipe class named in a
 * parameter decorator from the controller's own module, so each module gets its own `app`, and
 * no provider or controller has to become request-scoped (which would slow every request).
 */
@Injectable()
export class RequestEventsPipe implements PipeTransform<RecordableRequest, RequestEventRecorder> {
  constructor(private readonly recorder: EventRecorder) {}

  transform(request: RecordableRequest): RequestEventRecorder {
    return this.recorder.forRequest(request);
  }
}

const CurrentRequest = createParamDecorator((_: unknown, context: ExecutionContext): RecordableRequest =>
  context.switchToHttp().getRequest(),
);

/**
 * A `RequestEventRecorder` for the current request, in a controller of a module that imports
 * `EventsModule.forFeature(...)`:
 *
 * ```ts
 * @Post('logout')
 * async logout(@RequestEvents() events: RequestEventRecorder): Promise<void> {
 *   await events.record('logout', { context: { reason: 'button' } }); // http_request, user, client_ip, brand filled in
 * }
 * ```
 */
export const RequestEvents = (): ParameterDecorator => CurrentRequest(undefined, RequestEventsPipe);
