import { ArrayNotEmpty, IsArray, IsOptional, IsString } from 'class-validator';
import { IsStringRecord } from './is-string-record.decorator';

/**
 * A process started with `child_process.spawn` without a shell (arguments are passed as they are,
 * never interpreted), killed with the node. Refused unless the module options set
 * `allowCommands: true` and list `argv[0]` exactly in `commandAllowlist`.
 */
export class CommandActionDto {
  /** Executable then arguments, e.g. `['npx', 'jest', 'login.spec.ts']`. Required, non-empty. */
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  argv!: string[];

  /** Working directory. Default the engine's. */
  @IsOptional()
  @IsString()
  cwd?: string;

  /** Environment variables, merged over the engine's environment. Default none. */
  @IsOptional()
  @IsStringRecord()
  env?: Record<string, string>;

  /** Text written to the process's stdin (which is then closed). Default none (stdin closed at once). */
  @IsOptional()
  @IsString()
  input?: string;
}
