import { ActionConfigDto } from './action-config.dto';

/**
 * Config of SETUP: the action preparing the run (seed data, start a service), exactly one of
 * `http` or `command`. The node fails (retryable) when the action fails.
 *
 * @example `{ http: { url: 'http://fixtures:8080/seed', method: 'POST', body: { users: 3 } } }`
 */
export class SetupConfigDto extends ActionConfigDto {}
