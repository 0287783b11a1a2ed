import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Cursor pagination of list endpoints: newest first. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    description: '`nextCursor` of the previous page.',
    example: '674f1c2e9b1e8a0012345678',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{24}$/, { message: 'cursor must be a 24-character hex id' })
  cursor?: string;
}
