import { NodeExecutionError } from '../../errors';
import { ValidationRuleDto } from './dto/validation-rule.dto';
import { RULE_OPERATORS, RuleOperatorSpec } from './rule.operators';
import { readValuePath } from './value-path.parser';

/** A VALIDATION rule that did not hold, as listed in the failure's `details.broken`. */
export interface BrokenRule {
  /** The rule's path. */
  path: string;
  /** The rule's operator. */
  operator: string;
  /** The rule's value, when it has one. */
  value?: unknown;
  /** What was found at the path (absent when nothing was). */
  actual?: unknown;
  /** The rule's message, or the default one. */
  message: string;
}

/**
 * Checks one rule against a document.
 * @returns the broken rule, or undefined when it holds
 * @throws NodeExecutionError (`VALIDATION_RULE_INVALID`, not retryable) for an unknown operator or a bad path
 */
export function checkRule(rule: ValidationRuleDto, document: unknown): BrokenRule | undefined {
  const spec: RuleOperatorSpec | undefined = Object.hasOwn(RULE_OPERATORS, rule.operator)
    ? RULE_OPERATORS[rule.operator]
    : undefined;
  if (!spec) throw invalid(`unknown operator ${rule.operator}`);
  let actual: unknown;
  try {
    actual = readValuePath(document, rule.path);
  } catch (error) {
    throw invalid((error as Error).message);
  }
  if (spec.test(actual, rule.value)) return undefined;
  const shown = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
  const expected = rule.value === undefined ? '' : ` ${JSON.stringify(rule.value)}`;
  return {
    path: rule.path,
    operator: rule.operator,
    ...(rule.value === undefined ? {} : { value: rule.value }),
    ...(actual === undefined ? {} : { actual }),
    message: rule.message ?? `${rule.path} ${spec.phrase}${expected} (was ${shown(actual)})`,
  };
}

function invalid(why: string): NodeExecutionError {
  return new NodeExecutionError(`Invalid validation rule: ${why}`, {
    retryable: false,
    code: 'VALIDATION_RULE_INVALID',
  });
}
