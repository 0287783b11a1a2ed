import { ConditionalHandler } from './conditional.handler';
import { ConditionalConfigDto } from './dto/conditional-config.dto';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { createNodeContext } from './testing/node-context.fixture';

const ifElse = {
  condition: 'upstream.`login-tests`.status = "passed"',
  then: ['checkout-tests'],
  else: ['notify-failure'],
};
const switchCases = {
  cases: [
    { when: 'input.env = "prod"', next: ['smoke'] },
    { when: 'input.env in ["staging", "qa"]', next: ['full-suite', 'perf'] },
  ],
  default: ['unit-only'],
};

describe('ConditionalHandler', () => {
  it('chooses then when the condition holds', async () => {
    const handler = await createHandler(ConditionalHandler);
    const { context } = createNodeContext(ifElse, {
      upstream: { 'login-tests': { status: 'passed' } },
    });
    expect(await handler.execute(context)).toEqual({
      output: { matched: 'then', next: ['checkout-tests'] },
      next: ['checkout-tests'],
    });
  });

  it('chooses else when it does not, and nothing without else', async () => {
    const handler = await createHandler(ConditionalHandler);
    const upstream = { 'login-tests': { status: 'failed' } };
    expect(await handler.execute(createNodeContext(ifElse, { upstream }).context)).toMatchObject({
      next: ['notify-failure'],
      output: { matched: 'else' },
    });
    const { else: _unused, ...withoutElse } = ifElse;
    expect(await handler.execute(createNodeContext(withoutElse, { upstream }).context)).toEqual({
      output: { matched: 'else', next: [] },
      next: [],
    });
  });

  it('casts the condition as JSONata $boolean does', async () => {
    const handler = await createHandler(ConditionalHandler);
    const run = async (condition: string) =>
      (
        await handler.execute(
          createNodeContext(
            { condition, then: ['a'] },
            { input: { items: [], names: ['x'], empty: {} } },
          ).context,
        )
      ).output;
    expect(await run('input.items')).toMatchObject({ matched: 'else' });
    expect(await run('input.empty')).toMatchObject({ matched: 'else' });
    expect(await run('input.missing')).toMatchObject({ matched: 'else' });
    expect(await run('input.names')).toMatchObject({ matched: 'then' });
  });

  it('chooses the first matching case, else the default', async () => {
    const handler = await createHandler(ConditionalHandler);
    const run = async (env: string) =>
      handler.execute(createNodeContext(switchCases, { input: { env } }).context);
    expect(await run('qa')).toEqual({
      output: { matched: 'cases[1]', next: ['full-suite', 'perf'] },
      next: ['full-suite', 'perf'],
    });
    expect(await run('prod')).toMatchObject({ next: ['smoke'], output: { matched: 'cases[0]' } });
    expect(await run('dev')).toEqual({
      output: { matched: 'default', next: ['unit-only'] },
      next: ['unit-only'],
    });
  });

  describe('config', () => {
    it('accepts either shape', () => {
      expect(configProblems(ConditionalConfigDto, ifElse)).toEqual([]);
      expect(configProblems(ConditionalConfigDto, switchCases)).toEqual([]);
    });

    it('requires one shape and refuses a mix of both', () => {
      expect(configProblems(ConditionalConfigDto, {})).toEqual([
        'condition: either condition (with then) or cases is required',
      ]);
      expect(configProblems(ConditionalConfigDto, { condition: 'true' })).toEqual([
        'then: then is required',
      ]);
      expect(configProblems(ConditionalConfigDto, { ...ifElse, cases: switchCases.cases })).toEqual(
        [
          'condition: condition cannot be combined with cases or default',
          'then: then cannot be combined with cases or default',
          'else: else cannot be combined with cases or default',
        ],
      );
    });

    it('rejects bad JSONata and values that are not node ids', () => {
      expect(
        configProblems(ConditionalConfigDto, {
          condition: 'input.env = ',
          then: ['ok', 'not an id'],
        }),
      ).toEqual([
        expect.stringMatching(/^condition: condition is not a valid JSONata expression: /),
        'then: then must be an array of node ids',
      ]);
      expect(configProblems(ConditionalConfigDto, { cases: [{ when: '(', next: ['a'] }] })).toEqual(
        [expect.stringMatching(/^cases\.0\.when: when is not a valid JSONata expression: /)],
      );
    });
  });
});
