import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One entry of `details`. */
export class ErrorDetailDto {
  @ApiPropertyOptional({ example: 'UNKNOWN_DEPENDENCY' }) code?: string;
  @ApiPropertyOptional({ example: 'nodes[3].dependsOn[0]' }) path?: string;
  @ApiPropertyOptional({ example: 'deploy' }) nodeId?: string;
  @ApiProperty({ example: 'node deploy depends on unknown node build' }) message!: string;
  @ApiPropertyOptional({ type: [String], example: ['a', 'b', 'a'] }) cycle?: string[];
  @ApiPropertyOptional({
    description: 'A refused node action: the node status',
    example: 'running',
  })
  nodeStatus?: string;
  @ApiPropertyOptional({
    description: 'A refused node action: the execution status',
    example: 'running',
  })
  executionStatus?: string;
}

/** The one shape of every error response. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'GRAPH_INVALID' }) code!: string;
  @ApiProperty({
    example: 'Graph definition is invalid (1 problem): node deploy depends on unknown node build',
  })
  message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
  @ApiPropertyOptional({ description: 'For 409: the current state', example: 'completed' })
  state?: string;
  @ApiPropertyOptional({
    description:
      'For a 503 to starting an execution: the id of the execution the store did not confirm in time (it may still be created and run)',
    example: '6b0d65e5acf088cc05d8f8b8',
  })
  executionId?: string;
}
