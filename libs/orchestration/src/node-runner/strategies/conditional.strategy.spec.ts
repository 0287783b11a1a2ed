import { Test } from '@nestjs/testing';
import { NodeExecutionError } from '../../errors';
import { ConditionalHandler } from '../handlers/conditional.handler';
import { createHandler } from '../handlers/testing/handler-module.fixture';
import { createNodeContext } from '../handlers/testing/node-context.fixture';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { ExecutionStrategyRunner } from './execution-strategy.interface';
import { ExecutionStrategyRegistry } from './execution-strategy.registry';

const input = {
  env: 'prod',
  items: [],
  names: ['x'],
  empty: {},
  nested: { a: {} },
  zero: 0,
  blank: '',
};
const upstream = { build: { status: 'passed' } };

const ran: NodeTypeHandler = { execute: () => ({ output: 'ran' }) };

async function conditionalStrategy(): Promise<ExecutionStrategyRunner> {
  const moduleRef = await Test.createTestingModule({
    providers: [ExecutionStrategyRegistry],
  }).compile();
  return moduleRef.get(ExecutionStrategyRegistry).get('CONDITIONAL')!;
}

/** Whether the strategy runs the node for `when` (true) or skips it (false). */
async function strategyVerdict(strategy: ExecutionStrategyRunner, when: string): Promise<boolean> {
  const { context } = createNodeContext(
    {},
    { node: { strategy: 'CONDITIONAL', when }, input, upstream },
  );
  const outcome = await strategy.run(ran, context);
  return outcome.kind === 'completed';
}

/** Whether the CONDITIONAL handler takes `then` (true) or `else` (false) for `condition`. */
async function handlerVerdict(handler: ConditionalHandler, condition: string): Promise<boolean> {
  const { context } = createNodeContext(
    { condition, then: ['yes'], else: ['no'] },
    { input, upstream },
  );
  const result = await handler.execute(context);
  return (result.output as { matched: string }).matched === 'then';
}

describe('ConditionalStrategy', () => {
  it.each([
    ['[]', false],
    ['{}', false],
    ['input.items', false],
    ['input.empty', false],
    ['input.missing', false],
    ['input.zero', false],
    ['input.blank', false],
    ['null', false],
    ['false', false],
    ['[0, false, ""]', false],
    ['input.env = "staging"', false],
    ['true', true],
    ['1', true],
    ['"no"', true],
    ['input.names', true],
    ['input.nested', true],
    ['[0, 1]', true],
    ['input.env = "prod"', true],
    ['upstream.build.status = "passed"', true],
    ['$count(input.names) > 0', true],
  ])('gives %s the verdict %s, as the CONDITIONAL node type does', async (expression, holds) => {
    const strategy = await conditionalStrategy();
    const handler = await createHandler(ConditionalHandler);

    const verdicts = [
      await strategyVerdict(strategy, expression),
      await handlerVerdict(handler, expression),
    ];

    expect(verdicts).toEqual([holds, holds]);
  });

  it('runs the handler when the condition holds and skips the node with the reason otherwise', async () => {
    const strategy = await conditionalStrategy();
    const run = (when: string) =>
      strategy.run(ran, createNodeContext({}, { node: { when }, input }).context);

    expect(await run('input.env = "prod"')).toEqual({
      kind: 'completed',
      result: { output: 'ran' },
    });
    expect(await run('input.items')).toEqual({
      kind: 'skipped',
      reason: 'condition is false: input.items',
    });
  });

  it('fails the attempt, not retryable, when the condition cannot be evaluated', async () => {
    const strategy = await conditionalStrategy();
    const { context } = createNodeContext(
      {},
      { node: { when: '$number("abc") + $undefinedFn()' } },
    );

    const failure = await Promise.resolve(strategy.run(ran, context)).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(NodeExecutionError);
    expect(failure).toMatchObject({ code: 'EXPRESSION_FAILED', retryable: false });
  });

  it('rejects with the abort reason when the attempt is already aborted', async () => {
    const strategy = await conditionalStrategy();
    const { context, controller } = createNodeContext({}, { node: { when: 'true' } });
    const reason = new NodeExecutionError('cancelled', { code: 'EXECUTION_ABANDONED' });
    controller.abort(reason);

    await expect(Promise.resolve(strategy.run(ran, context))).rejects.toBe(reason);
  });
});
