// NOTE: class-transformer's @Type reads design metadata when the class is declared.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { CommandActionDto } from './command-action.dto';
import { HttpActionDto } from './http-action.dto';
import { IsExclusiveWith } from './is-exclusive-with.decorator';

/**
 * An action: exactly one of `http` or `command`. Base of the SETUP, CLEANUP and TEST_EXECUTION configs.
 *
 * @example `{ http: { url: 'https://api.test/seed', method: 'POST', body: { users: 3 } } }`
 * @example `{ command: { argv: ['npx', 'jest', 'login.spec.ts'], cwd: '/srv/tests' } }`
 */
export class ActionConfigDto {
  /** The HTTP request to make. Required unless `command` is given. */
  @ValidateIf((o: ActionConfigDto) => o.http !== undefined || o.command === undefined)
  @IsObject({
    message: (args) =>
      args.value === undefined ? 'either http or command is required' : 'http must be an object',
  })
  @IsExclusiveWith(['command'])
  @ValidateNested()
  @Type(() => HttpActionDto)
  http?: HttpActionDto;

  /** The command to run. Required unless `http` is given. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CommandActionDto)
  command?: CommandActionDto;
}
