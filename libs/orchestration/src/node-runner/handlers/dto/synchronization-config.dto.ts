import { IsBoolean, IsOptional } from 'class-validator';

/**
 * Config of SYNCHRONIZATION, a join of its dependencies (runs when none failed).
 *
 * @example { waitForSignal: true }
 */
export class SynchronizationConfigDto {
  /**
   * When true the node also waits for an external signal (`ExecutionEngine.signal()`), an
   * approval gate bounded by the node's timeout; its payload becomes the output. Default false.
   */
  @IsOptional()
  @IsBoolean()
  waitForSignal?: boolean;
}
