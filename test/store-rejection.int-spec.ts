/**
 * On the MongoDB store (the suite's FerretDB): what no node can do to the store any more.
 * A node output over the limit fails that node; a page the store refuses for good (here a
 * 17 MB output, allowed by a raised limit, over MongoDB's 16 MB document limit) fails only its
 * execution, with the store's message, while another execution running beside it completes.
 */
import { Injectable } from '@nestjs/common';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import {
  createTestEngine,
  TestEngine,
} from '@trellis/orchestration/engine/testing/create-test-engine';
import { probe } from '@trellis/orchestration/engine/testing/probe.handler';
import { storedNode } from '@trellis/orchestration/engine/testing/journal.fixture';
import { ExecutionStatus, NodeContext, NodeHandler, NodeTypeHandler } from '@trellis/orchestration';

jest.setTimeout(60_000);

/** Outputs `config.mb` megabytes of text. */
@Injectable()
@NodeHandler('BIG_OUTPUT')
class BigOutputHandler implements NodeTypeHandler {
  execute(ctx: NodeContext<{ mb: number }>) {
    return { output: { text: 'x'.repeat(ctx.config.mb * 1024 * 1024) } };
  }
}

describe('outputs the store cannot take', () => {
  const dbName = `trellis_rejection_${process.pid}_${Date.now()}`;
  let app: TestEngine;

  beforeAll(async () => {
    app = await createTestEngine(
      { store: 'mongo', instanceId: 'rejection', maxOutputBytes: 32 << 20, maxPageBytes: 32 << 20 },
      {
        imports: [MongooseModule.forRoot(process.env.MONGODB_URI!, { dbName })],
        providers: [BigOutputHandler],
      },
    );
  });

  afterAll(async () => {
    await app.module.get<Connection>(getConnectionToken()).dropDatabase();
    await app.close();
  });

  it('fails only the execution whose page the store refused, with the store message', async () => {
    const bystander = await app.engine.run({
      name: 'bystander',
      nodes: [probe('slow', [], { config: { ms: 500 } }), probe('after', ['slow'])],
    });
    const doomed = await app.engine.run({
      name: 'doomed',
      nodes: [{ id: 'huge', type: 'BIG_OUTPUT', config: { mb: 17 } }, probe('next', ['huge'])],
    });
    // NOTE: the run that met the refusal leaves at once; the execution is then claimed anew and failed.
    const left = await doomed.done;
    expect(left.status).not.toBe(ExecutionStatus.COMPLETED);
    let ended = await app.engine.getExecution(doomed.executionId);
    for (let i = 0; i < 200 && ended.status === ExecutionStatus.RUNNING; i++) {
      await new Promise((r) => setTimeout(r, 50));
      ended = await app.engine.getExecution(doomed.executionId);
    }
    expect(ended).toMatchObject({
      status: ExecutionStatus.FAILED,
      error: { code: 'STORE_REJECTED', message: expect.stringMatching(/refused a write/) },
    });
    expect(ended.error!.message.length).toBeGreaterThan(
      'The store refused a write of this execution: '.length,
    );
    expect((await storedNode(app.store, doomed.executionId, 'next'))?.status ?? 'pending').not.toBe(
      'completed',
    );
    expect((await bystander.done).status).toBe(ExecutionStatus.COMPLETED);

    const later = await app.engine.run({ name: 'later', nodes: [probe('a')] });
    expect((await later.done).status).toBe(ExecutionStatus.COMPLETED);
  });
});
