import { createHash } from 'node:crypto';
import { creationRevision, creationRevisionSliced, stateJson } from './revision-builder';
import { contentOf, GENESIS_HASH, revisionHash, sealRevision } from './revision-hash';

describe('revision hash', () => {
  const event = {
    uuid: '0F8E4B5A-C1D2-4F0E-9A7B-3C2D1E0F9A8B',
    user: { username: 'zoë', pk: 4 },
    action: 'login',
    app: 'authentik.core',
    context: { b: [1, { d: null, c: 'x' }], a: 'é' },
    client_ip: '192.0.2.1',
    created: 1_764_190_000_123_456,
    expires: 1_795_726_000_123_456,
    brand: { name: 'Brand' },
  };

  it('is SHA-256 over the canonical content followed by the previous hash, as README documents', () => {
    const revision = creationRevision(event, {});
    const canonical =
      '{"actor":{},"after":{"action":"login","app":"authentik.core","brand":{"name":"Brand"},"client_ip":"192.0.2.1",' +
      '"context":{"a":"é","b":[1,{"c":"x","d":null}]},"created":1764190000123456,"expires":1795726000123456,' +
      '"user":{"pk":4,"username":"zoë"}},"before":null,"event":"0f8e4b5ac1d24f0e9a7b3c2d1e0f9a8b",' +
      '"fields":["user","action","app","context","client_ip","created","expires","brand"],"kind":"create",' +
      '"recorded":1764190000123456,"seq":1}';
    expect(revision.prev_hash).toBe(GENESIS_HASH);
    expect(revision.hash).toBe(
      createHash('sha256')
        .update(canonical + GENESIS_HASH, 'utf8')
        .digest('hex'),
    );
    expect(revisionHash(contentOf(revision), GENESIS_HASH)).toBe(revision.hash);
  });

  it('changes with any byte of the content or of the previous hash', () => {
    const revision = creationRevision(event, {});
    expect(revisionHash({ ...contentOf(revision), recorded: revision.recorded + 1 }, GENESIS_HASH)).not.toBe(revision.hash);
    expect(revisionHash(contentOf(revision), '1'.padStart(64, '0'))).not.toBe(revision.hash);
  });

  it('only links a revision right after the head', () => {
    const revision = creationRevision(event, {});
    expect(() => sealRevision({ ...contentOf(revision), seq: 3 }, { seq: 1, hash: revision.hash })).toThrow();
  });

  it('is the same when computed in slices, for a context far larger than one hash chunk', async () => {
    const context: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) context[`k${i}`] = i % 2 ? `é${i}` : { n: i, list: [i, null, true] };
    const large = { ...event, context };
    for (const e of [event, large])
      expect(await creationRevisionSliced(e, { pk: 1 }, stateJson(e))).toEqual(creationRevision(e, { pk: 1 }));
  });
});
