import { ValidationError, ValidationPipeOptions } from '@nestjs/common';
import { ErrorDetail, RequestRejectedError } from './request-rejected.error';

/** Flattens class-validator errors into `details`, each naming the offending field's path. */
export function validationExceptionFactory(errors: ValidationError[]): RequestRejectedError {
  const details: ErrorDetail[] = [];
  const pending: { error: ValidationError; path: string }[] = errors.map((error) => ({
    error,
    path: error.property,
  }));
  while (pending.length > 0) {
    const { error, path } = pending.shift()!;
    for (const [code, message] of Object.entries(error.constraints ?? {})) {
      details.push({ code, path, message });
    }
    for (const child of error.children ?? []) {
      const key = /^\d+$/.test(child.property) ? `[${child.property}]` : `.${child.property}`;
      pending.push({ error: child, path: `${path}${key}` });
    }
  }
  return new RequestRejectedError(
    'VALIDATION_FAILED',
    `Request validation failed: ${details.map((d) => d.message).join('; ')}`,
    details,
  );
}

/** The ValidationPipe options of the HTTP layer: whitelist, forbid unknown fields, transform. */
export const TRELLIS_VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: validationExceptionFactory,
};
