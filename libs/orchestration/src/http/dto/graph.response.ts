import { ApiProperty } from '@nestjs/swagger';
import { GraphDefinitionDto } from './graph-definition.dto';

/** A stored graph, without its definition. */
export class GraphSummaryDto {
  @ApiProperty({ example: '674f1c2e9b1e8a0012345678' }) id!: string;
  @ApiProperty({ example: 'ci-pipeline' }) name!: string;
  @ApiProperty({ example: 5 }) nodeCount!: number;
  @ApiProperty({ example: '2026-11-26T10:15:30.123Z' }) createdAt!: string;
}

/** A stored graph with its definition. */
export class GraphResponseDto extends GraphSummaryDto {
  @ApiProperty({ type: GraphDefinitionDto }) definition!: GraphDefinitionDto;
}

/** A page of graphs. */
export class GraphPageDto {
  @ApiProperty({ type: [GraphSummaryDto] }) items!: GraphSummaryDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}

/** Result of `POST /graphs/validate` for a valid graph. */
export class GraphValidationResultDto {
  @ApiProperty({ example: true }) valid!: boolean;
  @ApiProperty({ example: 5 }) nodeCount!: number;
  @ApiProperty({ example: 6 }) edgeCount!: number;
}
