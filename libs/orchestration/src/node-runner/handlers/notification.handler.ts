import { NodeExecutionError } from '../../errors';
import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { describeActionResult } from './action-result.interface';
import { NotificationConfigDto } from './dto/notification-config.dto';
import { HttpActionRunner } from './http-action.runner';
import { renderTemplate } from './template.renderer';
import { identityOf } from './attempt-identity';

/**
 * NOTIFICATION: renders the template and delivers it. `webhook` POSTs
 * `{ text, executionId, graphId, nodeId }` as JSON; a non-2xx answer or no answer is a retryable
 * failure. Output: `{ channel, message, delivered: true, status? }` (`status`: the webhook's HTTP status).
 */
@NodeHandler('NOTIFICATION', { config: NotificationConfigDto })
export class NotificationHandler implements NodeTypeHandler<NotificationConfigDto> {
  private readonly http = new HttpActionRunner();

  async execute(context: NodeContext<NotificationConfigDto>): Promise<NodeHandlerResult> {
    const { channel, url, headers, template } = context.config;
    const message = renderTemplate(template, { input: context.input, upstream: context.upstream });
    if (channel !== 'webhook') {
      context.logger.log(message);
      return { output: { channel, message, delivered: true } };
    }
    const payload = {
      text: message,
      executionId: context.executionId,
      graphId: context.graphId,
      nodeId: context.node.id,
    };
    const result = await this.http.run(
      { url: url!, method: 'POST', headers, body: payload },
      context.signal,
      identityOf(context),
    );
    if (!result.ok) {
      throw new NodeExecutionError(
        `Webhook of ${context.node.id} failed: ${describeActionResult(result)}`,
        {
          code: 'NOTIFICATION_FAILED',
          details: result,
        },
      );
    }
    return { output: { channel, message, delivered: true, status: result.httpStatus } };
  }
}
