import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseApiKeys } from './api-key.parser';
import { IS_PUBLIC_ROUTE, OPERATOR_REQUEST_KEY } from './http.constants';
import { OrchestrationHttpOptions, resolveHttpOptions } from './http-options.interface';
import { TRELLIS_HTTP_OPTIONS } from './http.module-definition';
import { RequestRejectedError } from './request-rejected.error';

/** Recorded as who acted when authentication is off (no key configured). */
export const ANONYMOUS_OPERATOR = 'anonymous';

/** A request as the guard sees it; the guard sets `trellisOperator` to the name of the key used. */
export interface OperatorRequest {
  headers: Record<string, unknown>;
  [OPERATOR_REQUEST_KEY]?: string;
}

/**
 * API-key authentication: `Authorization: Bearer <secret>` must carry the secret of a configured
 * key (`name:secret`, or a bare secret named `key-<n>`: see `parseApiKeys`). Secrets are compared
 * as SHA-256 digests with `timingSafeEqual`, against every key, so the time taken says nothing
 * about how much of a key matched. The key's name is set on the request (`@Operator()` reads it)
 * and recorded as who took an operator action. Routes marked `@Public()` pass; with no key
 * configured every request passes, as `anonymous`. Register it globally:
 * `{ provide: APP_GUARD, useExisting: ApiKeyGuard }`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: { name: string; digest: Buffer }[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(TRELLIS_HTTP_OPTIONS) options: OrchestrationHttpOptions,
  ) {
    this.keys = parseApiKeys(resolveHttpOptions(options).apiKeys).map((key) => ({
      name: key.name,
      digest: digest(key.secret),
    }));
  }

  /** Whether any key is configured. */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.enabled || context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<OperatorRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const given = digest(match?.[1] ?? '');
    let name: string | undefined;
    // NOTE: every key is compared, matched or not, so the time taken does not tell which one.
    for (const key of this.keys) {
      const equal = timingSafeEqual(key.digest, given);
      name = equal && name === undefined ? key.name : name;
    }
    if (name === undefined) {
      throw new RequestRejectedError(
        'UNAUTHORIZED',
        match ? 'The API key is not valid' : 'An API key is required: Authorization: Bearer <key>',
      );
    }
    request[OPERATOR_REQUEST_KEY] = name;
    return true;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
