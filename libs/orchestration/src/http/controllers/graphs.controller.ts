import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ExecutionEngine } from '../../engine/execution-engine.service';
import { ErrorResponseDto } from '../dto/error.response';
import { GraphDefinitionDto } from '../dto/graph-definition.dto';
import {
  GraphPageDto,
  GraphResponseDto,
  GraphSummaryDto,
  GraphValidationResultDto,
} from '../dto/graph.response';
import { PageQuery } from '../dto/page.query';
import { ParseIdPipe } from '../parse-id.pipe';
import { toGraphResponse, toGraphSummary } from '../record.presenter';
import { TrellisApi } from '../trellis-api.decorator';

/** Stores, lists and deletes graph definitions. */
@ApiTags('graphs')
@TrellisApi()
@Controller('graphs')
export class GraphsController {
  constructor(private readonly engine: ExecutionEngine) {}

  // NOTE: the definition is typed `unknown` so the ValidationPipe leaves it to GraphValidator,
  // which lists every problem at once and scales linearly to the node limit.
  @Post()
  @ApiOperation({ summary: 'Validate and store a graph' })
  @ApiBody({ type: GraphDefinitionDto })
  @ApiCreatedResponse({ type: GraphSummaryDto })
  async create(@Body() definition: unknown) {
    return toGraphSummary(await this.engine.createGraph(definition));
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate a graph without storing it' })
  @ApiBody({ type: GraphDefinitionDto })
  @ApiOkResponse({ type: GraphValidationResultDto })
  validate(@Body() definition: unknown) {
    const graph = this.engine.validate(definition);
    return { valid: true, nodeCount: graph.size, edgeCount: graph.edgeCount };
  }

  @Get()
  @ApiOperation({ summary: 'List graphs, newest first' })
  @ApiOkResponse({ type: GraphPageDto })
  async list(@Query() query: PageQuery) {
    const limit = query.limit ?? 20;
    const graphs = await this.engine.listGraphs({ limit: limit + 1, before: query.cursor });
    const items = graphs.slice(0, limit).map(toGraphSummary);
    return { items, nextCursor: graphs.length > limit ? items[limit - 1].id : null };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A graph with its definition' })
  @ApiOkResponse({ type: GraphResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('id', ParseIdPipe) id: string) {
    return toGraphResponse(await this.engine.getGraph(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a graph (and nothing while it runs)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'An execution of it is running' })
  async delete(@Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.engine.deleteGraph(id);
  }
}
