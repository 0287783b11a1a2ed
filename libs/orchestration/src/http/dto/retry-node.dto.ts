import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { ActionReasonDto } from './action-reason.dto';

/** Body of `POST /executions/:id/nodes/:nodeId/retry`. */
export class RetryNodeDto extends ActionReasonDto {
  @ApiPropertyOptional({
    description:
      'Also re-run every node downstream of it (reset to pending; they run again after it). Default false: only the skipped and cancelled nodes below it are reset.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  downstream?: boolean;
}
