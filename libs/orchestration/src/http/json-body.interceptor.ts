import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { OrchestrationHttpOptions, resolveHttpOptions } from './http-options.interface';
import { TRELLIS_HTTP_OPTIONS } from './http.module-definition';
import { inspectJsonBody } from './json-body.inspector';
import { RequestRejectedError } from './request-rejected.error';

/**
 * Refuses a JSON body nested too deeply or holding a `$`-prefixed key before any pipe or
 * validator walks it (interceptors run before pipes), so neither can overflow the stack nor
 * carry a MongoDB operator into a query.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly maxDepth: number;

  constructor(@Inject(TRELLIS_HTTP_OPTIONS) options: OrchestrationHttpOptions) {
    this.maxDepth = resolveHttpOptions(options).maxJsonDepth;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const body = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    const problem = inspectJsonBody(body, this.maxDepth);
    if (problem) throw new RequestRejectedError(problem.code, problem.message);
    return next.handle();
  }
}
