import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Permission, RequirePermission, RequireSuperuser } from '@app/auth';
import { ApiErrorResponses, GenericError, UuidParamPipe } from '@app/common';
import { EventChainReportDto, EventRevisionDto } from './dto/event-revision.dto';
import { EventHistoryService } from './event-history.service';

/**
 * Revision history and chain verification (docs/api-contract.md §7), beside authentik's events routes. Read
 * only: revisions are appended by the event writes themselves, and no route changes one (other
 * methods on these paths answer 405).
 */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/events')
export class EventHistoryController {
  constructor(private readonly history: EventHistoryService) {}

  @Get('verify')
  @RequireSuperuser()
  @ApiOperation({
    operationId: 'events_events_verify_retrieve',
    summary: 'Verify the revision chains of all events',
    description:
      'Superusers only. Recomputes every revision hash and checks each chain for gaps and against the current event rows; ' +
      'lists every broken link (altered or missing revisions, events changed, inserted or deleted directly in the database). ' +
      'The report is streamed while the chains are walked.',
  })
  @ApiOkResponse({ type: EventChainReportDto, description: '' })
  verify(@Res() reply: FastifyReply): void {
    void reply.type('application/json; charset=utf-8').send(this.history.verificationReport());
  }

  @Get(':event_uuid/history')
  @RequirePermission(Permission.viewEvent)
  @ApiOperation({
    operationId: 'events_events_history_list',
    summary: 'The revision history of an event',
    description:
      'Every create, update (PATCH/PUT) and delete of the event, oldest first, each hash-chained to the one before. ' +
      'Also for a deleted or purged event, whose last revision is its deletion (`delete`) or its removal by the retention ' +
      'purge (`purge`). Revisions older than REVISION_RETENTION have been removed.',
  })
  @ApiParam({ name: 'event_uuid', type: 'string', format: 'uuid', description: 'A UUID string identifying this Event.' })
  @ApiOkResponse({ type: EventRevisionDto, isArray: true, description: '' })
  @ApiNotFoundResponse({ type: GenericError, description: 'The event never existed, or all its revisions are past their retention' })
  historyOf(@Param('event_uuid', UuidParamPipe) uuid: string): Promise<EventRevisionDto[]> {
    return this.history.history(uuid);
  }
}
