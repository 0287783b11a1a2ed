import { CleanupHandler } from './cleanup.handler';
import { ConditionalHandler } from './conditional.handler';
import { DataProcessingHandler } from './data-processing.handler';
import { DelayHandler } from './delay.handler';
import { NotificationHandler } from './notification.handler';
import { SetupHandler } from './setup.handler';
import { SynchronizationHandler } from './synchronization.handler';
import { TestExecutionHandler } from './test-execution.handler';
import { ValidationHandler } from './validation.handler';

/**
 * The built-in node types, as providers for the node runner module: SETUP, CLEANUP,
 * TEST_EXECUTION, VALIDATION, DATA_PROCESSING, CONDITIONAL, NOTIFICATION, SYNCHRONIZATION, DELAY.
 * The SETUP, CLEANUP and TEST_EXECUTION handlers inject `TRELLIS_OPTIONS`.
 */
export const BUILT_IN_NODE_HANDLERS = [
  SetupHandler,
  CleanupHandler,
  TestExecutionHandler,
  ValidationHandler,
  DataProcessingHandler,
  ConditionalHandler,
  NotificationHandler,
  SynchronizationHandler,
  DelayHandler,
];

export * from './setup.handler';
export * from './cleanup.handler';
export * from './test-execution.handler';
export * from './validation.handler';
export * from './data-processing.handler';
export * from './conditional.handler';
export * from './notification.handler';
export * from './synchronization.handler';
export * from './delay.handler';

export * from './dto/action-config.dto';
export * from './dto/http-action.dto';
export * from './dto/command-action.dto';
export * from './dto/setup-config.dto';
export * from './dto/cleanup-config.dto';
export * from './dto/test-execution-config.dto';
export * from './dto/validation-rule.dto';
export * from './dto/validation-config.dto';
export * from './dto/data-processing-config.dto';
export * from './dto/conditional-case.dto';
export * from './dto/conditional-config.dto';
export * from './dto/notification-config.dto';
export * from './dto/synchronization-config.dto';
export * from './dto/delay-config.dto';
export * from './dto/is-jsonata-expression.decorator';
export * from './dto/is-string-record.decorator';

export * from './action-result.interface';
export * from './action.runner';
export * from './command-action.runner';
export * from './http-action.runner';
export * from './test-result.interface';
export * from './rule.checker';
export * from './rule.operators';
export * from './expression.evaluator';
export * from './template.renderer';
export * from './value-path.parser';
