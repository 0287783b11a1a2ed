import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';

/** Body of `POST /graphs/:id/executions`. */
export class StartExecutionDto {
  @ApiPropertyOptional({
    description: "Merged over the graph's default input; handlers see it as `input`.",
    example: { batchSize: 250, branch: 'main' },
  })
  @IsOptional()
  @IsObject()
  input?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'The same key for the same graph returns the existing execution (200) instead of starting another.',
    example: 'nightly-2026-11-26',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  idempotencyKey?: string;
}
