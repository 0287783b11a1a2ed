import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { ActionConfigDto } from './action-config.dto';

/**
 * Config of TEST_EXECUTION: the action that runs the test (exactly one of `http` or `command`)
 * and the suite / case / item it concerns. References missing here are taken from the
 * execution input (`input.suiteId`, `input.caseId`, `input.itemId`) and passed to the test:
 * a command gets env vars `TRELLIS_SUITE_ID`, `TRELLIS_CASE_ID`, `TRELLIS_ITEM_ID`; an HTTP
 * request gets headers `x-trellis-suite-id`, `x-trellis-case-id`, `x-trellis-item-id`.
 *
 * @example `{ command: { argv: ['npx', 'jest', 'login.spec.ts'] }, caseId: 'TC-42' }`
 */
export class TestExecutionConfigDto extends ActionConfigDto {
  /** Test suite reference. Default `input.suiteId`. */
  @IsOptional()
  @IsString()
  suiteId?: string;

  /** Test case reference. Default `input.caseId`. */
  @IsOptional()
  @IsString()
  caseId?: string;

  /** Test item reference (a data row, a device, ...). Default `input.itemId`. */
  @IsOptional()
  @IsString()
  itemId?: string;

  /** Whether a test that ran and failed may be retried (flaky tests). Default false. */
  @IsOptional()
  @IsBoolean()
  retryOnFailure?: boolean;
}
