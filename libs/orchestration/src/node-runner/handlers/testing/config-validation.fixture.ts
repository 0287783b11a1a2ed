import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

/**
 * Validates a config the way graph validation does (whitelist, unknown properties rejected).
 * @returns one `path: message` line per broken constraint; empty when valid.
 */
export function configProblems(dto: new () => object, config: unknown): string[] {
  const errors = validateSync(plainToInstance(dto, config), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return flatten(errors, '');
}

function flatten(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [
      ...Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`),
      ...flatten(error.children ?? [], path),
    ];
  });
}
