import { maskSecrets, maskSecretsSteps } from '../sanitize/mask-secrets';
import { sanitizeForJson, sanitizeForJsonSteps } from '../sanitize/sanitize-for-json';
import { runInSlices, runToEnd, Steps } from './event-loop-slices';

function* counting(steps: number): Steps<number> {
  for (let i = 0; i < steps; i++) yield;
  return steps;
}

describe('walks in slices', () => {
  it("runToEnd and runInSlices give the walk's result", async () => {
    expect(runToEnd(counting(3))).toBe(3);
    expect(await runInSlices(counting(3))).toBe(3);
  });

  it('runInSlices lets other work run while a long walk goes on', async () => {
    let ranMeanwhile = false;
    setImmediate(() => (ranMeanwhile = true));
    function* slow(): Steps<boolean> {
      const end = performance.now() + 200;
      while (performance.now() < end) yield;
      return ranMeanwhile;
    }
    expect(await runInSlices(slow())).toBe(true);
  });

  it('sanitises and masks a 70 000-key object in slices exactly as at once', async () => {
    const object: Record<string, unknown> = { api_key: 'x', nested: { password: 1, list: [1, { token: 't' }] } };
    for (let i = 0; i < 70_000; i++) object[`k${i}`] = i % 3 ? `v\0${i}` : [i, { secret: i }];
    const clean = await runInSlices(sanitizeForJsonSteps(object));
    expect(clean).toEqual(sanitizeForJson(object));
    expect(await runInSlices(maskSecretsSteps(clean))).toEqual(maskSecrets(clean));
  });
});
