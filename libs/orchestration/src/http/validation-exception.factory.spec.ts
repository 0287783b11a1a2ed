import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Min,
  ValidateNested,
  ValidationError,
} from 'class-validator';
import { RequestRejectedError } from './request-rejected.error';
import {
  TRELLIS_VALIDATION_OPTIONS,
  validationExceptionFactory,
} from './validation-exception.factory';

class Settings {
  @IsInt()
  @Min(1)
  a!: number;

  @IsOptional()
  @IsString()
  b?: string;
}

class Item {
  @IsString()
  x!: string;
}

class Body {
  @IsString()
  @Length(1, 10)
  name!: string;

  @ValidateNested()
  @Type(() => Settings)
  input!: Settings;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];
}

const VALID = { name: 'ok', input: { a: 1 }, items: [{ x: 'first' }] };

describe('validationExceptionFactory with the Trellis ValidationPipe', () => {
  let pipe: ValidationPipe;
  const metadata: ArgumentMetadata = { type: 'body', metatype: Body };

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      providers: [
        { provide: ValidationPipe, useValue: new ValidationPipe(TRELLIS_VALIDATION_OPTIONS) },
      ],
    }).compile();
    pipe = module.get(ValidationPipe);
  });

  async function rejection(value: unknown): Promise<RequestRejectedError> {
    try {
      await pipe.transform(value, metadata);
    } catch (error) {
      return error as RequestRejectedError;
    }
    throw new Error('the body was accepted');
  }

  it('passes a valid body through, transformed to the DTO class', async () => {
    const value = await pipe.transform(structuredClone(VALID), metadata);
    expect(value).toBeInstanceOf(Body);
    expect(value).toEqual(VALID);
  });

  it('rejects with VALIDATION_FAILED naming a top-level field by its property', async () => {
    const error = await rejection({ ...VALID, name: 42 });
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { code: 'isString', path: 'name', message: 'name must be a string' },
      ]),
    );
    expect(error.details.every((d) => d.path === 'name')).toBe(true);
    expect(error.message).toContain('name must be a string');
  });

  it('names a field of a nested object with a dotted path (input.a)', async () => {
    const error = await rejection({ ...VALID, input: { a: 0 } });
    expect(error.details).toEqual([
      { code: 'min', path: 'input.a', message: 'a must not be less than 1' },
    ]);
  });

  it('names a field of an array element with an index path (items[1].x)', async () => {
    const error = await rejection({ ...VALID, items: [{ x: 'fine' }, { x: 7 }] });
    expect(error.details).toEqual([
      { code: 'isString', path: 'items[1].x', message: 'x must be a string' },
    ]);
  });

  it('lists every problem, at every depth, in one error', async () => {
    const error = await rejection({ name: '', input: { a: 'one', b: 2 }, items: [{}] });
    const paths = error.details.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'input.a', 'input.b', 'items[0].x']));
    expect(error.message.split('; ')).toHaveLength(error.details.length);
  });

  it('refuses a field the DTO does not declare, naming it (whitelist)', async () => {
    const error = await rejection({ ...VALID, extra: true, input: { a: 1, sneaky: 1 } });
    expect(error.details).toEqual(
      expect.arrayContaining([
        { code: 'whitelistValidation', path: 'extra', message: 'property extra should not exist' },
        {
          code: 'whitelistValidation',
          path: 'input.sneaky',
          message: 'property sneaky should not exist',
        },
      ]),
    );
  });
});

describe('validationExceptionFactory on hand-built errors', () => {
  function error(
    property: string,
    constraints?: Record<string, string>,
    children: ValidationError[] = [],
  ): ValidationError {
    return Object.assign(new ValidationError(), { property, constraints, children });
  }

  it('builds paths through objects and arrays, several levels down', () => {
    const tree = [
      error('nodes', undefined, [
        error('3', undefined, [
          error('retry', undefined, [error('maxAttempts', { min: 'maxAttempts must be ≥ 1' })]),
          error('dependsOn', undefined, [error('0', { isString: 'each must be a string' })]),
        ]),
      ]),
    ];
    expect(validationExceptionFactory(tree).details).toEqual([
      { code: 'min', path: 'nodes[3].retry.maxAttempts', message: 'maxAttempts must be ≥ 1' },
      { code: 'isString', path: 'nodes[3].dependsOn[0]', message: 'each must be a string' },
    ]);
  });

  it('keeps one detail per broken constraint of a field', () => {
    const result = validationExceptionFactory([
      error('idempotencyKey', { isString: 'must be a string', isLength: 'must be 1..200 long' }),
    ]);
    expect(result.details).toEqual([
      { code: 'isString', path: 'idempotencyKey', message: 'must be a string' },
      { code: 'isLength', path: 'idempotencyKey', message: 'must be 1..200 long' },
    ]);
    expect(result.message).toBe('Request validation failed: must be a string; must be 1..200 long');
  });
});
