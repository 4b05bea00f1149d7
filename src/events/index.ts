/**
 * The events module's public surface, all another module imports (README, "Recording events from
 * another module"): `EventsModule.forFeature('<app>')` in its imports gives it an `EventRecorder`
 * (and `EventsService`); `@RequestEvents()` gives a controller the recorder bound to the request.
 * `record()` resolves to an `EventDto`, the event as the API shows it. The rest of src/events is
 * the events feature's own.
 */
export { EventsModule } from './events.module';
export { EventsService } from './events.service';
export { EventDto } from './dto/event.dto';
export * from './recording';
