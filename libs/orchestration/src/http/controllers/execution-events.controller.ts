import { Controller, Get, Headers, Inject, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { ExecutionEngine } from '../../engine/execution-engine.service';
import {
  ExecutionEventStream,
  ExecutionStreamItem,
} from '../../state-tracker/execution-event.stream';
import { EventsQuery } from '../dto/events.query';
import {
  OrchestrationHttpOptions,
  resolveHttpOptions,
  ResolvedHttpOptions,
} from '../http-options.interface';
import { TRELLIS_HTTP_OPTIONS } from '../http.module-definition';
import { ParseIdPipe } from '../parse-id.pipe';
import { RequestRejectedError } from '../request-rejected.error';
import { TrellisApi } from '../trellis-api.decorator';

/** Server-Sent Events of an execution's state changes, resumable with Last-Event-ID. */
@ApiTags('executions')
@TrellisApi()
@Controller('executions')
export class ExecutionEventsController {
  private readonly logger = new Logger('TrellisHttp');
  private readonly options: ResolvedHttpOptions;

  constructor(
    private readonly engine: ExecutionEngine,
    private readonly events: ExecutionEventStream,
    @Inject(TRELLIS_HTTP_OPTIONS) options: OrchestrationHttpOptions,
  ) {
    this.options = resolveHttpOptions(options);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: 'Stream every state change (event `transition`, id = seq), then a final `end` event',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiOkResponse({ description: 'text/event-stream' })
  async stream(
    @Param('id', ParseIdPipe) id: string,
    @Query() query: EventsQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() res: ServerResponse,
  ): Promise<void> {
    const after = resumePoint(lastEventId, query.after);
    // NOTE: listen before the first await: a client gone during it must not leave a stream behind.
    let gone = false;
    res.on('close', () => (gone = true));
    // NOTE: an unknown execution is a JSON 404, answered before the stream starts.
    await this.engine.getExecution(id);
    if (gone) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const keepAlive = setInterval(() => {
      if (!res.writableEnded) res.write(': keep-alive\n\n');
    }, this.options.keepAliveMs);
    let subscription: { unsubscribe(): void } | undefined = undefined;
    subscription = this.events.stream(id, { after, pollMs: this.options.eventsPollMs }).subscribe({
      next: (item) => {
        if (res.writableEnded) return;
        res.write(toSse(item));
        // NOTE: a client slower than the events is let go once a few MB wait for it; it
        // resumes where it was with Last-Event-ID, and memory stays bounded.
        if (res.writableLength > this.options.maxStreamBufferBytes) {
          this.logger.warn(`Event stream of ${id}: the client is not keeping up; closing it`);
          subscription?.unsubscribe();
          res.end();
        }
      },
      error: (error: Error) => {
        this.logger.error(`Event stream of ${id} failed: ${error.message}`);
        res.end();
      },
      complete: () => res.end(),
    });
    // NOTE: nothing above awaited since `gone` was checked, so this listener cannot miss the close.
    res.on('close', () => {
      clearInterval(keepAlive);
      subscription.unsubscribe();
    });
  }
}

function resumePoint(header: string | undefined, query: number | undefined): number {
  if (header === undefined || header === '') return query ?? 0;
  if (!/^\d{1,15}$/.test(header)) {
    throw new RequestRejectedError('VALIDATION_FAILED', 'Last-Event-ID must be an event id', [
      {
        path: 'Last-Event-ID',
        code: 'isInt',
        message: 'Last-Event-ID must be a non-negative integer',
      },
    ]);
  }
  return Number(header);
}

/** One stream item in the text/event-stream format. */
export function toSse(item: ExecutionStreamItem): string {
  if (item.type === 'end') return `event: end\ndata: ${JSON.stringify(item.execution)}\n\n`;
  return `id: ${item.event.seq}\nevent: transition\ndata: ${JSON.stringify(item.event)}\n\n`;
}
