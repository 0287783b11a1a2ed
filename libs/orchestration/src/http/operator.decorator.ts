import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ANONYMOUS_OPERATOR, OperatorRequest } from './api-key.guard';
import { OPERATOR_REQUEST_KEY } from './http.constants';

/**
 * The name of the API key a request was authenticated with (set by `ApiKeyGuard`), recorded as
 * `by` on what an operator action changes; `anonymous` when authentication is off.
 */
export const Operator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<OperatorRequest>()[OPERATOR_REQUEST_KEY] ??
    ANONYMOUS_OPERATOR,
);
