import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { ActionReasonDto } from './action-reason.dto';

/** Body of `POST /executions/:id/nodes/:nodeId/complete`. */
export class CompleteNodeDto extends ActionReasonDto {
  @ApiPropertyOptional({
    description:
      "The node's output (any JSON, within the output size limit); its dependents read it as they would a handler's. Default null.",
    example: { status: 'passed', checkedBy: 'hand' },
  })
  @Allow()
  output?: unknown;
}
