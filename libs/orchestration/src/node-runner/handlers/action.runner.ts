import { NodeExecutionError } from '../../errors';
import { ActionResult, describeActionResult } from './action-result.interface';
import { CommandActionRunner, CommandPolicy } from './command-action.runner';
import { ActionConfigDto } from './dto/action-config.dto';
import { HttpActionRunner } from './http-action.runner';
import { AttemptIdentity } from './attempt-identity';

/**
 * Runs an action (`{ http }` or `{ command }`) for SETUP, CLEANUP and TEST_EXECUTION. Commands
 * obey the module's `allowCommands` / `commandAllowlist`.
 */
export class ActionRunner {
  private readonly http = new HttpActionRunner();
  private readonly command: CommandActionRunner;

  constructor(policy: CommandPolicy) {
    this.command = new CommandActionRunner(policy);
  }

  /**
   * Runs the action to its end; a failing exit code or unexpected status is a result (`ok: false`).
   * @throws NodeExecutionError (`ACTION_INVALID`, not retryable) when neither http nor command is given
   * `attempt` (the calling attempt) is sent along: headers of an HTTP request, environment of a
   * command (see `attemptHeaders`), with the fencing token among them.
   * @throws as `HttpActionRunner.run()` / `CommandActionRunner.run()`
   */
  run(
    action: ActionConfigDto,
    signal: AbortSignal,
    attempt?: AttemptIdentity,
  ): Promise<ActionResult> {
    if (action.http) return this.http.run(action.http, signal, attempt);
    if (action.command) return this.command.run(action.command, signal, attempt);
    return Promise.reject(
      new NodeExecutionError('The action needs either http or command', {
        retryable: false,
        code: 'ACTION_INVALID',
      }),
    );
  }

  /**
   * Runs the action and requires success.
   * @param label names the action in the error message, e.g. `SETUP seed-db`
   * @throws NodeExecutionError (`ACTION_FAILED`, retryable, the result in `details`) when it fails
   */
  async runOrThrow(
    action: ActionConfigDto,
    signal: AbortSignal,
    label: string,
    attempt?: AttemptIdentity,
  ): Promise<ActionResult> {
    const result = await this.run(action, signal, attempt);
    if (result.ok) return result;
    throw new NodeExecutionError(
      `${label} failed: ${describeActionResult(result, action.http?.expectStatus)}`,
      {
        code: 'ACTION_FAILED',
        details: result,
      },
    );
  }
}
