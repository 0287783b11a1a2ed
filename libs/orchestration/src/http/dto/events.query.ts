import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

/** Query of `GET /executions/:id/events`. */
export class EventsQuery {
  @ApiPropertyOptional({
    description: 'Replay only events after this id (as the Last-Event-ID header, which wins).',
    minimum: 0,
    example: 12,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}
