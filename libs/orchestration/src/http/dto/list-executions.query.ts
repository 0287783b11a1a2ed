import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional } from 'class-validator';
import { ExecutionStatus } from '../../state-tracker/status.enum';
import { IsId } from './is-id.decorator';
import { PageQuery } from './page.query';

/** Query of `GET /executions`. */
export class ListExecutionsQuery extends PageQuery {
  // NOTE: filters carry no example: Swagger UI would pre-fill it into "Try it out".
  @ApiPropertyOptional({ description: 'Only executions of this graph.' })
  @IsOptional()
  @IsId()
  graphId?: string;

  @ApiPropertyOptional({
    description: 'Comma-separated statuses, e.g. `running,failed`.',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value,
  )
  @IsEnum(ExecutionStatus, { each: true })
  status?: ExecutionStatus[];
}
