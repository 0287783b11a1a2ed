import { ActionConfigDto } from './action-config.dto';

/**
 * Config of CLEANUP: the action undoing SETUP, exactly one of `http` or `command`. Runs once its
 * dependencies are done whatever their outcome; fails (retryable) when the action fails.
 *
 * @example `{ command: { argv: ['docker', 'compose', 'down'], cwd: '/srv/fixtures' } }`
 */
export class CleanupConfigDto extends ActionConfigDto {}
