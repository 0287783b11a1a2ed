import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
import { ActionReasonDto } from './action-reason.dto';

/** Body of `POST /executions/:id/nodes/:nodeId/signal`. */
export class SignalNodeDto extends ActionReasonDto {
  @ApiPropertyOptional({
    description: 'Becomes the output of the released SYNCHRONIZATION node.',
    example: { approvedBy: 'alice', ticket: 'OPS-42' },
  })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}
