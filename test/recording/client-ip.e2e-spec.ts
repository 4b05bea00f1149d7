import { startTestApp, TestApp } from '../support/test-app';
import { eventsDuring } from './recording-fixtures';

const ROLES = '/api/v3/rbac/roles/';

/** `client_ip` of recorded events (docs/api-contract.md §6.2): X-Forwarded-For counts only from a trusted proxy. */
describe(`client IP of recorded events (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let names = 0;
  /** The client_ip of the model event that creating a role with these headers records. */
  async function clientIpFor(t: TestApp, headers: Record<string, string>): Promise<string | null> {
    const events = await eventsDuring(t, async () => {
      const res = await t.admin.post(ROLES, { name: `role-${++names}` }, { headers });
      if (res.status !== 201) throw new Error(`setup: role create answered ${res.status}`);
    });
    expect(events).toHaveLength(1);
    return events[0].client_ip;
  }

  describe('without TRUSTED_PROXIES', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(async () => t?.close());

    it('records the peer address', async () => {
      expect(await clientIpFor(t, {})).toBe('127.0.0.1');
    });

    it('ignores X-Forwarded-For', async () => {
      expect(await clientIpFor(t, { 'X-Forwarded-For': '203.0.113.9' })).toBe('127.0.0.1');
    });
  });

  describe('with TRUSTED_PROXIES=127.0.0.1', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ TRUSTED_PROXIES: '127.0.0.1' });
    });
    afterAll(async () => t?.close());

    it('takes the first X-Forwarded-For entry from the trusted peer', async () => {
      expect(await clientIpFor(t, { 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' })).toBe('203.0.113.9');
    });

    it('writes an IPv6 client compressed, in lower case', async () => {
      expect(await clientIpFor(t, { 'X-Forwarded-For': '2001:DB8:0:0::1' })).toBe('2001:db8::1');
    });

    it('records a forwarded value that is not an IP address as 255.255.255.255', async () => {
      expect(await clientIpFor(t, { 'X-Forwarded-For': 'unknown' })).toBe('255.255.255.255');
    });

    it('falls back to the peer when the proxy sends no X-Forwarded-For', async () => {
      expect(await clientIpFor(t, {})).toBe('127.0.0.1');
    });
  });

  describe('with a trusted range that does not include the peer', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ TRUSTED_PROXIES: '10.0.0.0/8, ::2' });
    });
    afterAll(async () => t?.close());

    it('ignores X-Forwarded-For', async () => {
      expect(await clientIpFor(t, { 'X-Forwarded-For': '203.0.113.9' })).toBe('127.0.0.1');
    });
  });
});
