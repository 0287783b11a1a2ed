import { Allow, IsIn, IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { IsStringRecord } from './is-string-record.decorator';

/** HTTP methods an action may use. */
export const HTTP_ACTION_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
] as const;

/** An HTTP request made with the global `fetch`, aborted with the node. */
export class HttpActionDto {
  /** Absolute `http:` or `https:` URL. Required. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url!: string;

  /** Request method. Default `GET`. */
  @IsOptional()
  @IsIn(HTTP_ACTION_METHODS)
  method?: (typeof HTTP_ACTION_METHODS)[number];

  /** Request headers. Default none. */
  @IsOptional()
  @IsStringRecord()
  headers?: Record<string, string>;

  /**
   * Request body: a string is sent as it is, any other value as JSON (with
   * `content-type: application/json` unless `headers` set one). Not allowed with GET/HEAD. Default none.
   */
  @Allow()
  body?: unknown;

  /** Status (or statuses) that count as success. Default any 2xx. */
  @IsOptional()
  @IsInt({ each: true })
  @Min(100, { each: true })
  @Max(599, { each: true })
  expectStatus?: number | number[];
}
