import { KeptWhileUnchanged } from './kept-while-unchanged';

/** A cache over a counting read, with the mark and the expiry bound set by the test. */
function setup(options: { validBefore?: number | null } = {}) {
  const state = { mark: 'm1' as string | null, reads: 0, validBefore: options.validBefore === undefined ? 1_000 : options.validBefore };
  const kept = new KeptWhileUnchanged(
    () => state.mark,
    async (now) => `read ${++state.reads} at ${now}`,
    async () => state.validBefore,
  );
  return { state, kept };
}

describe('KeptWhileUnchanged', () => {
  it('answers from the kept read while the mark is the same and the instant lies in [read at, valid before)', async () => {
    const { state, kept } = setup();
    expect(await kept.get(100)).toBe('read 1 at 100');
    expect(await kept.get(100)).toBe('read 1 at 100');
    expect(await kept.get(999)).toBe('read 1 at 100');
    expect(state.reads).toBe(1);
  });

  it('reads again after a write (another mark), at or past valid before, and for an earlier instant', async () => {
    const { state, kept } = setup();
    await kept.get(100);
    state.mark = 'm2';
    expect(await kept.get(100)).toBe('read 2 at 100');
    expect(await kept.get(1_000)).toBe('read 3 at 1000');
    expect(await kept.get(500)).toBe('read 4 at 500');
    expect(state.reads).toBe(4);
  });

  it('keeps a read with nothing left to expire for any later instant', async () => {
    const { state, kept } = setup({ validBefore: null });
    await kept.get(100);
    expect(await kept.get(Number.MAX_SAFE_INTEGER)).toBe('read 1 at 100');
    expect(state.reads).toBe(1);
  });

  it('keeps nothing without a mark (inside a transaction, or a database that has none)', async () => {
    const { state, kept } = setup();
    state.mark = null;
    await kept.get(100);
    await kept.get(100);
    expect(state.reads).toBe(2);
  });

  it('does not keep a read past a write that came while it ran: the mark is taken before the read', async () => {
    const state = { mark: 'm1', reads: 0 };
    const kept = new KeptWhileUnchanged(
      () => state.mark,
      async () => {
        state.mark = 'm2'; // a write commits while the read runs
        return ++state.reads;
      },
      async () => null,
    );
    await kept.get(100);
    expect(await kept.get(100)).toBe(2);
  });
});
