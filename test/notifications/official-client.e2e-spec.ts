import { Configuration, CoreApi, EventsApi, ResponseError, SeverityEnum, TransportModeEnum, UsedByActionEnum } from '@goauthentik/api';
import { startTestApp, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

/*
 * authentik's official client drives transports and notifications: its requests are understood
 * and our answers deserialise into its models (camelCase, Dates, enums).
 */
describe(`the official client: transports and notifications (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  let events: EventsApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp();
    events = new EventsApi(new Configuration({ basePath: `${t.baseUrl}/api/v3`, accessToken: t.adminKey }));
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('CRUD of transports, test/ and used_by', async () => {
    const created = await events.eventsTransportsCreate({
      notificationTransportRequest: {
        name: 'client hook',
        mode: TransportModeEnum.Webhook,
        webhookUrl: receiver.url('/client'),
        sendOnce: true,
      },
    });
    expect(created).toMatchObject({ name: 'client hook', mode: 'webhook', modeVerbose: 'Generic Webhook', sendOnce: true });
    expect((await events.eventsTransportsRetrieve({ uuid: created.pk })).webhookUrl).toBe(receiver.url('/client'));
    const list = await events.eventsTransportsList({ mode: TransportModeEnum.Webhook, ordering: 'name', page: 1, pageSize: 10 });
    expect(list.results.map((r) => r.name)).toEqual(['client hook']);
    expect(list.pagination.count).toBe(1);
    const patched = await events.eventsTransportsPartialUpdate({
      uuid: created.pk,
      patchedNotificationTransportRequest: { sendOnce: false },
    });
    expect(patched.sendOnce).toBe(false);
    const updated = await events.eventsTransportsUpdate({
      uuid: created.pk,
      notificationTransportRequest: { name: 'client hook 2', mode: TransportModeEnum.Webhook, webhookUrl: receiver.url('/client') },
    });
    expect(updated.name).toBe('client hook 2');
    expect(await events.eventsTransportsTestCreate({ uuid: created.pk })).toEqual({ messages: ['200', 'ok'] });
    expect(await events.eventsTransportsUsedByList({ uuid: created.pk })).toEqual([]);
    await events.eventsTransportsDestroy({ uuid: created.pk });
    const error = await events.eventsTransportsRetrieve({ uuid: created.pk }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(404);
  });

  it('notifications: list, retrieve, update, mark_all_seen, used_by, destroy', async () => {
    const local = await events.eventsTransportsCreate({ notificationTransportRequest: { name: 'client local' } });
    await events.eventsTransportsTestCreate({ uuid: local.pk });
    const list = await events.eventsNotificationsList({ seen: false, ordering: '-created' });
    expect(list.results).toHaveLength(1);
    const [notification] = list.results;
    expect(notification).toMatchObject({
      severity: SeverityEnum.Notice,
      body: 'Test Notification from transport client local',
      seen: false,
    });
    expect(notification.created).toBeInstanceOf(Date);
    expect(notification.event?.action).toBe('custom_notification_test');
    expect((await events.eventsNotificationsRetrieve({ uuid: notification.pk })).pk).toBe(notification.pk);
    const seen = await events.eventsNotificationsPartialUpdate({ uuid: notification.pk, patchedNotificationRequest: { seen: true } });
    expect(seen.seen).toBe(true);
    const unseen = await events.eventsNotificationsUpdate({ uuid: notification.pk, notificationRequest: { seen: false } });
    expect(unseen.seen).toBe(false);
    await events.eventsNotificationsMarkAllSeenCreate();
    expect((await events.eventsNotificationsList({ seen: false })).results).toEqual([]);
    expect(await events.eventsNotificationsUsedByList({ uuid: notification.pk })).toEqual([]);
    await events.eventsNotificationsDestroy({ uuid: notification.pk });
    expect((await events.eventsNotificationsList({})).results).toEqual([]);
  });

  it('CRUD of notification rules, and the used_by of what they use', async () => {
    const core = new CoreApi(new Configuration({ basePath: `${t.baseUrl}/api/v3`, accessToken: t.adminKey }));
    const group = await core.coreGroupsCreate({ groupRequest: { name: 'client admins' } });
    const transport = await events.eventsTransportsCreate({ notificationTransportRequest: { name: 'client rule transport' } });
    const created = await events.eventsRulesCreate({
      notificationRuleRequest: {
        name: 'client rule',
        transports: [transport.pk],
        severity: SeverityEnum.Alert,
        destinationGroup: group.pk,
      },
    });
    expect(created).toMatchObject({ name: 'client rule', transports: [transport.pk], severity: 'alert', destinationGroup: group.pk });
    expect(created.destinationGroupObj?.name).toBe('client admins');
    expect(created.destinationEventUser).toBe(false);
    expect((await events.eventsRulesRetrieve({ pbmUuid: created.pk })).name).toBe('client rule');
    const list = await events.eventsRulesList({ severity: SeverityEnum.Alert, destinationGroupName: 'client admins', ordering: 'name' });
    expect(list.results.map((r) => r.name)).toEqual(['client rule']);
    const patched = await events.eventsRulesPartialUpdate({
      pbmUuid: created.pk,
      patchedNotificationRuleRequest: { destinationEventUser: true },
    });
    expect(patched.destinationEventUser).toBe(true);
    const updated = await events.eventsRulesUpdate({
      pbmUuid: created.pk,
      notificationRuleRequest: { name: 'client rule 2', destinationGroup: null },
    });
    // The client reads an absent or null `destination_group` as undefined.
    expect(updated).toMatchObject({ name: 'client rule 2', destinationGroup: undefined, destinationGroupObj: null });
    expect(await events.eventsTransportsUsedByList({ uuid: transport.pk })).toEqual([
      {
        app: 'authentik_events',
        modelName: 'notificationrule',
        pk: created.pk,
        name: 'Notification Rule client rule 2',
        action: UsedByActionEnum.CascadeMany,
      },
    ]);
    expect(await events.eventsRulesUsedByList({ pbmUuid: created.pk })).toEqual([
      {
        app: 'authentik_events',
        modelName: 'notificationtransport',
        pk: transport.pk,
        name: 'client rule transport',
        action: UsedByActionEnum.CascadeMany,
      },
    ]);
    await events.eventsRulesDestroy({ pbmUuid: created.pk });
    const error = await events.eventsRulesRetrieve({ pbmUuid: created.pk }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError).response.status).toBe(404);
  });
});
