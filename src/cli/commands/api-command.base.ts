import { CommandRunner, Option } from 'nest-commander';
import { CliUsageError } from '../errors';
import { TrellisApiClient } from '../http/trellis-api.client';

/** Default server of `submit` and `status` when neither `--url` nor TRELLIS_URL is set. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:3000';

/** The connection options every command that talks to a server takes. */
export interface ApiCommandOptions {
  url?: string;
  apiKey?: string;
}

/**
 * Base of the commands that call a running Trellis server: `--url` (env TRELLIS_URL) and
 * `--api-key` (env TRELLIS_API_KEY, sent as `Authorization: Bearer`).
 */
export abstract class ApiCommandBase extends CommandRunner {
  @Option({
    flags: '--url <url>',
    description: 'Trellis server URL',
    env: 'TRELLIS_URL',
    defaultValue: DEFAULT_SERVER_URL,
  })
  parseUrl(value: string): string {
    return value;
  }

  @Option({
    flags: '--api-key <key>',
    description: 'API key, sent as Authorization: Bearer <key>',
    env: 'TRELLIS_API_KEY',
  })
  parseApiKey(value: string): string {
    return value;
  }

  /**
   * A client for the server the options name.
   * @throws CliUsageError when the URL is not an http(s) URL
   */
  protected client(options: ApiCommandOptions): TrellisApiClient {
    const url = options.url || DEFAULT_SERVER_URL;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new CliUsageError(`--url ${url} is not a URL (e.g. ${DEFAULT_SERVER_URL})`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new CliUsageError(`--url ${url} must be an http:// or https:// URL`);
    }
    return new TrellisApiClient({ baseUrl: url, apiKey: options.apiKey || undefined });
  }
}
