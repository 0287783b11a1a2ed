import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of `POST /executions/:id/cancel`. */
export class CancelExecutionDto {
  @ApiPropertyOptional({
    description: 'Recorded in the history.',
    example: 'superseded by a newer commit',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
