import { NodeExecutionError } from '../../errors';
import { ValidationConfigDto } from './dto/validation-config.dto';
import { configProblems } from './testing/config-validation.fixture';
import { createHandler } from './testing/handler-module.fixture';
import { createNodeContext } from './testing/node-context.fixture';
import { ValidationHandler } from './validation.handler';

const upstream = {
  'login-tests': {
    status: 'passed',
    durationMs: 850,
    tags: ['smoke', 'auth'],
    user: { email: 'qa@example.test' },
  },
  'build.v2': { artifact: 'app-2.0.tgz', warnings: null },
};
const input = { env: 'staging', threshold: 1000 };

describe('ValidationHandler', () => {
  it('outputs the rules checked when every rule holds', async () => {
    const handler = await createHandler(ValidationHandler);
    const rules = [
      { path: 'upstream.login-tests.status', operator: 'eq', value: 'passed' },
      { path: 'upstream.login-tests.durationMs', operator: 'lt', value: 1000 },
      { path: 'upstream.login-tests.durationMs', operator: 'gte', value: 850 },
      { path: 'input.env', operator: 'in', value: ['staging', 'qa'] },
      { path: 'input.env', operator: 'notIn', value: ['prod'] },
      {
        path: 'upstream["build.v2"].artifact',
        operator: 'matches',
        value: '^app-\\d+\\.\\d+\\.tgz$',
      },
      { path: 'upstream.login-tests.tags', operator: 'contains', value: 'auth' },
      { path: 'upstream.login-tests.user.email', operator: 'contains', value: '@example' },
      { path: 'upstream.login-tests.user', operator: 'exists' },
      { path: 'upstream["build.v2"].warnings', operator: 'notExists' },
      { path: 'upstream.login-tests.tags', operator: 'ne', value: ['smoke'] },
    ] as ValidationConfigDto['rules'];
    const { context } = createNodeContext({ rules }, { input, upstream });
    const { output } = handler.execute(context);
    expect(output).toEqual({
      valid: true,
      checked: rules.map(({ path, operator, value }) => ({
        path,
        operator,
        ...(value === undefined ? {} : { value }),
      })),
    });
  });

  it('fails without retry listing every broken rule', async () => {
    const handler = await createHandler(ValidationHandler);
    const rules = [
      { path: 'upstream.login-tests.status', operator: 'eq', value: 'failed' },
      { path: 'upstream.login-tests.status', operator: 'exists' },
      { path: 'upstream.checkout.status', operator: 'exists', message: 'checkout must have run' },
      { path: 'upstream.login-tests.durationMs', operator: 'gt', value: input.threshold },
      { path: 'upstream.login-tests.durationMs', operator: 'gt', value: '100' },
    ] as ValidationConfigDto['rules'];
    const { context } = createNodeContext({ rules }, { input, upstream });
    let error: NodeExecutionError | undefined;
    try {
      handler.execute(context);
    } catch (thrown) {
      error = thrown as NodeExecutionError;
    }
    expect(error).toBeInstanceOf(NodeExecutionError);
    expect(error).toMatchObject({ retryable: false, code: 'VALIDATION_FAILED' });
    expect(error!.message).toMatch(/^4 of 5 validation rule\(s\) broken: /);
    expect(error!.details).toEqual({
      broken: [
        {
          path: 'upstream.login-tests.status',
          operator: 'eq',
          value: 'failed',
          actual: 'passed',
          message: 'upstream.login-tests.status must equal "failed" (was "passed")',
        },
        { path: 'upstream.checkout.status', operator: 'exists', message: 'checkout must have run' },
        {
          path: 'upstream.login-tests.durationMs',
          operator: 'gt',
          value: 1000,
          actual: 850,
          message: 'upstream.login-tests.durationMs must be greater than 1000 (was 850)',
        },
        {
          path: 'upstream.login-tests.durationMs',
          operator: 'gt',
          value: '100',
          actual: 850,
          message: 'upstream.login-tests.durationMs must be greater than "100" (was 850)',
        },
      ],
    });
  });

  describe('config', () => {
    it('accepts well-formed rules', () => {
      expect(
        configProblems(ValidationConfigDto, {
          rules: [{ path: 'upstream.a-b.c[0]', operator: 'eq', value: null }],
        }),
      ).toEqual([]);
    });

    it('rejects bad paths, unknown operators and values that do not suit the operator', () => {
      const problems = configProblems(ValidationConfigDto, {
        rules: [
          { path: 'upstream..status', operator: 'eq', value: 1 },
          { path: 'a', operator: 'like', value: 'x' },
          { path: 'a', operator: 'in', value: 'x' },
          { path: 'a', operator: 'matches', value: '([' },
          { path: 'a', operator: 'exists', value: true },
          { path: 'a', operator: 'eq' },
        ],
      });
      expect(problems).toEqual([
        'rules.0.path: path: Invalid path "upstream..status": empty key at position 9',
        expect.stringMatching(
          /^rules\.1\.operator: operator must be one of the following values: eq, ne, /,
        ),
        'rules.2.value: value: value must be an array',
        expect.stringMatching(/^rules\.3\.value: value: Invalid regular expression/),
        'rules.4.value: value: value is not used with this operator',
        'rules.5.value: value: value is required',
      ]);
    });

    it('rejects an empty rule list', () => {
      expect(configProblems(ValidationConfigDto, { rules: [] })).toEqual([
        'rules: rules should not be empty',
      ]);
    });
  });
});
