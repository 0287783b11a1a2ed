/**
 * @trellis/orchestration/console — the optional web console: a host imports it on purpose,
 * next to `OrchestrationHttpModule` (whose API it calls).
 */
export { OrchestrationConsoleModule } from './orchestration-console.module';
export type { OrchestrationConsoleOptions } from './orchestration-console-options.interface';
export { CONSOLE_CONTENT_SECURITY_POLICY, TRELLIS_CONSOLE_OPTIONS } from './console.constants';
