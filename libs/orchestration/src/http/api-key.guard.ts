import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { IS_PUBLIC_ROUTE } from './http.constants';
import { OrchestrationHttpOptions, resolveHttpOptions } from './http-options.interface';
import { TRELLIS_HTTP_OPTIONS } from './http.module-definition';
import { RequestRejectedError } from './request-rejected.error';

/**
 * API-key authentication: `Authorization: Bearer <key>` must name a configured key. Keys are
 * compared as SHA-256 digests with `timingSafeEqual`, against every key, so the time taken says
 * nothing about how much of a key matched. Routes marked `@Public()` pass; with no key
 * configured every request passes. Register it globally: `{ provide: APP_GUARD, useExisting: ApiKeyGuard }`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(TRELLIS_HTTP_OPTIONS) options: OrchestrationHttpOptions,
  ) {
    this.digests = resolveHttpOptions(options).apiKeys.map(digest);
  }

  /** Whether any key is configured. */
  get enabled(): boolean {
    return this.digests.length > 0;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.enabled || context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const header = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>()
      .headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const given = digest(match?.[1] ?? '');
    let valid = false;
    for (const key of this.digests) valid = timingSafeEqual(key, given) || valid;
    if (!valid) {
      throw new RequestRejectedError(
        'UNAUTHORIZED',
        match ? 'The API key is not valid' : 'An API key is required: Authorization: Bearer <key>',
      );
    }
    return true;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
