import type { DataSource, EntityManager } from 'typeorm';
import { AS_MODEL_REF, ModelEntity } from '@app/common';
import { auditedUpdateAhead, PreviewedUpdate } from './audited-change';
import type { ModelAudit } from './model-audit';

class Thing implements ModelEntity {
  constructor(readonly name: string) {}
  [AS_MODEL_REF]() {
    return { app: 'test', model_name: 'thing', pk: 1, name: this.name };
  }
}

/** What happened, in order: the audit's and the transaction's steps. */
function harness(stillBefore: boolean) {
  const steps: string[] = [];
  const transactionManager = {} as EntityManager;
  const audit = {
    prepareUpdated: async () => {
      steps.push('prepare');
      return { record: async () => void steps.push('record prepared'), discard: () => void steps.push('discard') };
    },
    diff: () => ({}),
    updated: async () => void steps.push('record in one go'),
  } as unknown as ModelAudit;
  const dataSource = {
    manager: {} as EntityManager,
    transaction: async <T>(work: (m: EntityManager) => Promise<T>) => {
      steps.push('begin');
      const result = await work(transactionManager);
      steps.push('commit');
      return result;
    },
  } as unknown as DataSource;
  const change: PreviewedUpdate<Thing> = {
    preview: new Thing('after'),
    before: () => ({ name: 'before' }),
    apply: async () => {
      steps.push('apply');
      return new Thing('after');
    },
    after: (thing) => ({ name: thing.name }),
    stillBefore: async () => stillBefore,
  };
  return { steps, run: () => auditedUpdateAhead(audit, change, dataSource) };
}

describe('auditedUpdateAhead', () => {
  it('computes the event before the transaction and only stores it inside', async () => {
    const { steps, run } = harness(true);
    expect((await run()).name).toBe('after');
    expect(steps).toEqual(['prepare', 'begin', 'apply', 'record prepared', 'commit', 'discard']);
  });

  it('records in one go, inside the transaction, when the model moved since it was read', async () => {
    const { steps, run } = harness(false);
    expect((await run()).name).toBe('after');
    expect(steps).toEqual(['prepare', 'begin', 'apply', 'record in one go', 'commit', 'discard']);
  });
});
