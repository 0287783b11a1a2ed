import { IsInt, Max, Min } from 'class-validator';

/**
 * Config of DELAY.
 *
 * @example { ms: 1500 }
 */
export class DelayConfigDto {
  /** Milliseconds to wait, 0 to 2147483647; 0 completes at once, without a timer. Required. */
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  ms!: number;
}
