/**
 * What other modules use to record events (docs/api-contract.md §6): import `EventsModule.forFeature('<app>')`,
 * inject `EventRecorder` (or `EventsService`), call `record`. Re-exported by src/events/index.ts,
 * the events module's whole public surface.
 */
export { EventRecorder, RequestEventRecorder } from './event-recorder';
export type { PreparedRecord } from './event-recorder';
export { RequestContext } from './request-context.decorator';
export { RequestEvents } from './request-events.decorator';
export { modelDiff, modelDiffSliced } from './model-diff';
export type { FieldChange, ModelDiff, ModelState } from './model-diff';
export type { RecordableRequest, RecordableUser, RecordOptions, RequestRecordOptions } from './recording.types';
