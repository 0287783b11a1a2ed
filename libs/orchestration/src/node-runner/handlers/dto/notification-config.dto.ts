import { IsIn, IsOptional, IsUrl, ValidateIf } from 'class-validator';
import { IsStringRecord } from './is-string-record.decorator';
import { IsTemplate } from './is-template.decorator';

/**
 * Config of NOTIFICATION: a message rendered from `{ input, upstream }` and sent to the node's
 * logger (`log`) or POSTed as JSON to a webhook (`webhook`).
 *
 * @example { channel: 'webhook', url: 'https://hooks.example/T1', template: 'Login tests {{ upstream.login-tests.status }}' }
 */
export class NotificationConfigDto {
  /** Where the message goes: `log` (the node's logger) or `webhook` (HTTP POST). Required. */
  @IsIn(['log', 'webhook'])
  channel!: 'log' | 'webhook';

  /** Webhook URL (`http:` / `https:`). Required with `webhook`, ignored with `log`. */
  @ValidateIf((o: NotificationConfigDto) => o.channel === 'webhook' || o.url !== undefined)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    {
      message: (args) =>
        args.value === undefined
          ? 'url is required with the webhook channel'
          : 'url must be an http(s) URL',
    },
  )
  url?: string;

  /** Extra webhook request headers (e.g. authorization). Default none. */
  @IsOptional()
  @IsStringRecord()
  headers?: Record<string, string>;

  /**
   * The message: text with `{{ path }}` placeholders (path syntax of VALIDATION rules, e.g.
   * `{{ upstream.login-tests.status }}`); strings are inserted as they are, other values as JSON,
   * missing ones as nothing. Required.
   */
  @IsTemplate()
  template!: string;
}
