import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';

/** Body of `POST /executions/:id/nodes/:nodeId/signal`. */
export class SignalNodeDto {
  @ApiPropertyOptional({
    description: 'Becomes the output of the released SYNCHRONIZATION node.',
    example: { approvedBy: 'alice', ticket: 'OPS-42' },
  })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}
