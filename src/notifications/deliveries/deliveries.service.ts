import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { applyOrdering, fetchPage, FieldErrorCollector, formatMicros, ListQuery, Paginated, textParam } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { DELIVERY_STATUSES, NotificationDelivery } from '../entities/notification-delivery.entity';
import { TransportsService } from '../transports/transports.service';
import { NotificationDeliveryResponse } from './dto/delivery.dto';

/** The delivery log of a transport (`GET /events/transports/{uuid}/deliveries/`, eventlog's addition). */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly transports: TransportsService,
  ) {}

  /** Newest first unless `ordering` says otherwise; `status` filters. 404 for an unknown transport. */
  async list(transportUuid: string, query: ListQuery): Promise<Paginated<NotificationDeliveryResponse>> {
    await this.transports.findByUuid(transportUuid);
    const qb = this.dataSource
      .getRepository(NotificationDelivery)
      .createQueryBuilder('delivery')
      .where('delivery.transportUuid = :transportUuid', { transportUuid });
    const status = textParam(query, 'status');
    if (status !== undefined) {
      if (!(DELIVERY_STATUSES as readonly string[]).includes(status)) {
        const errors = new FieldErrorCollector();
        errors.add('status', `Select a valid choice. ${status} is not one of the available choices.`);
        errors.throwIfAny();
      }
      qb.andWhere('delivery.status = :status', { status });
    }
    applyOrdering(qb, query, { created: 'delivery.created', pk: 'delivery.uuid', attempts: 'delivery.attempts' }, ['-created'], 'pk');
    const { pagination, rows } = await fetchPage(qb, query, this.config.pagination);
    return { pagination, results: rows.map(present), autocomplete: {} };
  }
}

function present(d: NotificationDelivery): NotificationDeliveryResponse {
  return {
    pk: d.uuid,
    idempotency_key: d.idempotencyKey,
    event: d.eventUuid,
    revision: d.revision,
    rule: d.ruleUuid,
    user: d.recipientId,
    severity: d.severity,
    status: d.status,
    attempts: d.attempts,
    last_error: d.lastError,
    next_retry: d.status === 'pending' ? formatMicros(d.nextAttemptAt) : null,
    created: formatMicros(d.created)!,
    finished: formatMicros(d.finished),
  };
}
