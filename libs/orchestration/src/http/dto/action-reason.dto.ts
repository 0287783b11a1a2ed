import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_REASON_LENGTH } from '../http.constants';

/** Body of an operator action that takes only a reason (`POST /executions/:id/retry`, node skip). */
export class ActionReasonDto {
  @ApiPropertyOptional({
    description:
      "Why, free text; recorded as `reason` with every transition the action causes (who is the API key's name).",
    example: 'flaky infrastructure, see OPS-42',
    maxLength: MAX_REASON_LENGTH,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REASON_LENGTH)
  reason?: string;
}
