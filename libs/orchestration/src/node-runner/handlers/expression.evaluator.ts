import jsonata from 'jsonata';
import { NodeExecutionError } from '../../errors';
import { raceAbort } from './abort-race';

/** Default bound of one JSONata evaluation, in milliseconds: 1000. */
export const DEFAULT_EXPRESSION_TIMEOUT_MS = 1000;

const EVALUATE_ENTRY = Symbol.for('jsonata.__evaluate_entry');

/** Options of `evaluateExpression()`. */
export interface ExpressionEvaluationOptions {
  /** Stops the evaluation (rejecting with the signal's reason) when aborted. Default none. */
  signal?: AbortSignal;
  /**
   * Longest an evaluation may run. JSONata evaluates without yielding to the event loop, so a
   * node timeout alone could not interrupt a runaway expression. Default 1000 ms.
   */
  timeoutMs?: number;
}

/** @returns why a JSONata expression does not compile (with the position), or undefined when it does. */
export function expressionSyntaxProblem(expression: string): string | undefined {
  try {
    jsonata(expression);
    return undefined;
  } catch (error) {
    return describeJsonataError(error);
  }
}

/**
 * Evaluates a JSONata expression (sandboxed: no access to JavaScript, the process or the network)
 * over `data` and returns its result as plain JSON: undefined when nothing matched.
 *
 * @throws NodeExecutionError (`EXPRESSION_INVALID`, not retryable) when the expression does not compile
 * @throws NodeExecutionError (`EXPRESSION_FAILED`, not retryable) when evaluation fails or times out
 * @throws the signal's reason when aborted
 */
export async function evaluateExpression(
  expression: string,
  data: unknown,
  options: ExpressionEvaluationOptions = {},
): Promise<unknown> {
  const { signal, timeoutMs = DEFAULT_EXPRESSION_TIMEOUT_MS } = options;
  signal?.throwIfAborted();
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(expression, { timeout: timeoutMs });
  } catch (error) {
    throw new NodeExecutionError(`Invalid JSONata expression: ${describeJsonataError(error)}`, {
      retryable: false,
      code: 'EXPRESSION_INVALID',
    });
  }
  // NOTE: checked on every evaluation step, so an abort raised by other work interrupts it.
  if (signal) compiled.assign(EVALUATE_ENTRY as unknown as string, () => signal.throwIfAborted());
  try {
    const result: unknown = await (signal
      ? raceAbort(compiled.evaluate(data), signal)
      : compiled.evaluate(data));
    return toJson(result);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new NodeExecutionError(`JSONata evaluation failed: ${describeJsonataError(error)}`, {
      retryable: false,
      code: 'EXPRESSION_FAILED',
    });
  }
}

/**
 * Evaluates a JSONata condition and casts the result as JSONata's `$boolean()` does:
 * missing, null, false, 0, `""`, `[]`, `{}` and functions are false.
 * @throws as `evaluateExpression()`
 */
export async function evaluateCondition(
  expression: string,
  data: unknown,
  options: ExpressionEvaluationOptions = {},
): Promise<boolean> {
  return isTruthy(await evaluateExpression(expression, data, options));
}

function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'object' && value !== null) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** JSONata results may be sequences (arrays with extra flags) or hold functions: keep the JSON. */
function toJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

function describeJsonataError(error: unknown): string {
  const { code, position, message } = (error ?? {}) as {
    code?: string;
    position?: number;
    message?: string;
  };
  const where = position === undefined ? '' : ` at position ${position}`;
  return `${message ?? String(error)}${code ? ` (${code}${where})` : where}`;
}
