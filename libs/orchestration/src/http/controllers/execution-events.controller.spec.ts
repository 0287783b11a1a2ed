import { NestExpressApplication } from '@nestjs/platform-express';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { ExecutionEngine } from '../../engine/execution-engine.service';
import { probe, ProbeHandler } from '../../engine/testing/probe.handler';
import { OrchestrationModule } from '../../orchestration.module';
import { OrchestrationHttpModule } from '../orchestration-http.module';

/** The events of one text/event-stream body: id (if any), event name, parsed data. */
function parseEvents(body: string): { id?: number; event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      const id = field('id');
      return {
        id: id === undefined ? undefined : Number(id),
        event: field('event') ?? 'message',
        data: JSON.parse(field('data')!),
      };
    });
}

describe('GET /executions/:id/events', () => {
  let app: NestExpressApplication;
  let base: string;
  let engine: ExecutionEngine;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [
        ScheduleModule.forRoot(),
        OrchestrationModule.forRoot({ isGlobal: true, instanceId: 'sse', shutdownGraceMs: 0 }),
        // NOTE: a small buffer limit, so a few hundred nodes' events exceed it in one replay.
        OrchestrationHttpModule.forRoot({ maxStreamBufferBytes: 64 * 1024 }),
      ],
      providers: [ProbeHandler],
    }).compile();
    app = module.createNestApplication<NestExpressApplication>({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    engine = app.get(ExecutionEngine);
  });
  afterAll(() => app.close());

  it('lets go of a client that has more than the buffer limit waiting, which resumes with Last-Event-ID', async () => {
    const nodes = Array.from({ length: 400 }, (_, i) => probe(`n${i}`, i ? [`n${i - 1}`] : []));
    const { executionId, done } = await engine.run({ name: 'long', nodes });
    await done;

    const received: { id?: number; event: string; data: unknown }[] = [];
    let connections = 0;
    while (received.at(-1)?.event !== 'end' && connections < 50) {
      const lastId = received.at(-1)?.id;
      const response = await fetch(`${base}/executions/${executionId}/events`, {
        headers: lastId === undefined ? {} : { 'last-event-id': String(lastId) },
      });
      received.push(...parseEvents(await response.text()));
      connections++;
    }

    expect(connections).toBeGreaterThan(1);
    const ids = received.flatMap((e) => (e.id === undefined ? [] : [e.id]));
    // 1 execution pending, 2 running, 3 per node (ready, running, completed), 1 completed
    const total = 2 + 3 * 400 + 1;
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(received.at(-1)).toEqual({
      id: undefined,
      event: 'end',
      data: { id: executionId, status: 'completed' },
    });
  });
});
