import type { DatabaseHost } from '../../config/database-hosts';
import { HostFailover } from './host-failover';

const host = (name: string): DatabaseHost => ({ host: name, port: 3306, url: `mysql://${name}:3306/eventlog` });

describe('HostFailover', () => {
  const up = new Set<string>();
  let failover: HostFailover;
  let moves: string[];

  beforeEach(() => {
    up.clear();
    moves = [];
    const probe = async ({ host: name }: DatabaseHost) => {
      if (!up.has(name)) throw new Error(`${name} is down`);
    };
    failover = new HostFailover([host('h1'), host('h2'), host('h3')], { checkEveryMs: 60_000, timeoutMs: 100, probe });
    failover.on('failover', (from: DatabaseHost, to: DatabaseHost) => moves.push(`${from.host}->${to.host}`));
  });

  it('starts on the first usable host, in the order given', async () => {
    up.add('h2').add('h3');
    await failover.ready();
    expect(failover.current.host).toBe('h2');
    expect(failover.usable).toBe(true);
  });

  it('moves on when its host stops being usable and back to an earlier host when it returns', async () => {
    up.add('h1').add('h2');
    await failover.ready();
    expect(moves).toEqual([]);

    up.delete('h1');
    await failover.check();
    expect(failover.current.host).toBe('h2');

    up.add('h1');
    await failover.check();
    expect(failover.current.host).toBe('h1');
    expect(moves).toEqual(['h1->h2', 'h2->h1']);
  });

  it('is not usable while no host is, staying where it was until one returns', async () => {
    up.add('h3');
    await failover.ready();
    up.clear();
    await failover.check();
    expect(failover.usable).toBe(false);
    expect(failover.current.host).toBe('h3');

    up.add('h2');
    await failover.check();
    expect(failover.usable).toBe(true);
    expect(failover.current.host).toBe('h2');
  });

  it('runs one check at a time however often it is asked', async () => {
    let probes = 0;
    const counting = new HostFailover([host('h1')], {
      checkEveryMs: 60_000,
      timeoutMs: 100,
      probe: async () => {
        probes += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      },
    });
    await Promise.all([counting.check(), counting.check(), counting.ready()]);
    expect(probes).toBe(1);
  });

  it('checks periodically only while a pool is open', async () => {
    jest.useFakeTimers();
    try {
      const check = jest.spyOn(failover, 'check').mockResolvedValue();
      failover.open();
      failover.open();
      jest.advanceTimersByTime(60_000);
      expect(check).toHaveBeenCalledTimes(1);
      failover.close();
      jest.advanceTimersByTime(60_000);
      expect(check).toHaveBeenCalledTimes(2);
      failover.close();
      jest.advanceTimersByTime(120_000);
      expect(check).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
