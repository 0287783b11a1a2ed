import { DataProcessingHandler } from './data-processing.handler';
import { DataProcessingConfigDto } from './dto/data-processing-config.dto';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { createNodeContext } from './testing/node-context.fixture';

const upstream = {
  'login-tests': { status: 'passed', durationMs: 120 },
  'checkout-tests': { status: 'failed', durationMs: 300 },
  'search-tests': { status: 'passed', durationMs: 80 },
};

describe('DataProcessingHandler', () => {
  it('transforms upstream outputs into its output', async () => {
    const handler = await createHandler(DataProcessingHandler);
    const expression = `{
      "suite": input.suiteId,
      "passed": $count(upstream.*[status = "passed"]),
      "failed": $keys(upstream)[$lookup($$.upstream, $).status = "failed"],
      "totalMs": $sum(upstream.*.durationMs),
      "login": upstream.\`login-tests\`.status
    }`;
    const { context } = createNodeContext({ expression }, { input: { suiteId: 'S-1' }, upstream });
    const { output } = await handler.execute(context);
    expect(output).toEqual({
      suite: 'S-1',
      passed: 2,
      failed: 'checkout-tests',
      totalMs: 500,
      login: 'passed',
    });
  });

  it('outputs plain JSON arrays and null when nothing matched', async () => {
    const handler = await createHandler(DataProcessingHandler);
    const names = await handler.execute(
      createNodeContext({ expression: 'upstream.*.status' }, { upstream }).context,
    );
    expect(names.output).toEqual(['passed', 'failed', 'passed']);
    expect(Object.keys(names.output as object)).toEqual(['0', '1', '2']);
    const none = await handler.execute(
      createNodeContext({ expression: 'upstream.nothing' }, { upstream }).context,
    );
    expect(none.output).toBeNull();
  });

  it('fails without retry when evaluation fails', async () => {
    const handler = await createHandler(DataProcessingHandler);
    const { context } = createNodeContext(
      { expression: 'upstream.`login-tests`.status + 1' },
      { upstream },
    );
    await expect(handler.execute(context)).rejects.toMatchObject({
      retryable: false,
      code: 'EXPRESSION_FAILED',
    });
  });

  it('stops a runaway expression after maxEvaluationMs', async () => {
    const handler = await createHandler(DataProcessingHandler);
    const { context } = createNodeContext({
      expression: '($f := function($n) { $f($n + 1) }; $f(0))',
      maxEvaluationMs: 50,
    });
    const error = await handler.execute(context).catch((e) => e);
    expect(error).toMatchObject({ retryable: false, code: 'EXPRESSION_FAILED' });
    expect(error.message).toMatch(/timeout/i);
  });

  it('rejects with the reason when aborted', async () => {
    const handler = await createHandler(DataProcessingHandler);
    const { context, controller } = createNodeContext({ expression: '$sum([1..100000])' });
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(handler.execute(context)).rejects.toBe(reason);
  });

  describe('config', () => {
    it('rejects an expression that does not compile, saying where', () => {
      expect(configProblems(DataProcessingConfigDto, { expression: 'upstream.(' })).toEqual([
        expect.stringMatching(
          /^expression: expression is not a valid JSONata expression: .+ \(S\d+ at position \d+\)$/,
        ),
      ]);
    });

    it('rejects a missing expression and an out-of-range maxEvaluationMs', () => {
      expect(configProblems(DataProcessingConfigDto, { maxEvaluationMs: 0 })).toEqual([
        'expression: expression must be a JSONata expression (a string)',
        'maxEvaluationMs: maxEvaluationMs must not be less than 1',
      ]);
    });
  });
});
