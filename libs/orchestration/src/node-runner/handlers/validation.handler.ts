import { NodeExecutionError } from '../../errors';
import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { ValidationConfigDto } from './dto/validation-config.dto';
import { BrokenRule, checkRule } from './rule.checker';

/**
 * VALIDATION: checks every rule against `{ input, upstream }`. Output on success:
 * `{ valid: true, checked: [{ path, operator, value? }] }`. Otherwise throws `NodeExecutionError`
 * (`VALIDATION_FAILED`, not retryable) with `details: { broken: BrokenRule[] }` listing every broken rule.
 */
@NodeHandler('VALIDATION', { config: ValidationConfigDto })
export class ValidationHandler implements NodeTypeHandler<ValidationConfigDto> {
  execute(context: NodeContext<ValidationConfigDto>): NodeHandlerResult {
    const { rules } = context.config;
    const document = { input: context.input, upstream: context.upstream };
    const broken: BrokenRule[] = [];
    for (const rule of rules) {
      const verdict = checkRule(rule, document);
      if (verdict) broken.push(verdict);
    }
    if (broken.length > 0) {
      const shown =
        broken
          .slice(0, 5)
          .map((b) => b.message)
          .join('; ') + (broken.length > 5 ? '; ...' : '');
      throw new NodeExecutionError(
        `${broken.length} of ${rules.length} validation rule(s) broken: ${shown}`,
        { retryable: false, code: 'VALIDATION_FAILED', details: { broken } },
      );
    }
    const checked = rules.map(({ path, operator, value }) => ({
      path,
      operator,
      ...(value === undefined ? {} : { value }),
    }));
    return { output: { valid: true, checked } };
  }
}
