import { ConfigurableModuleBuilder } from '@nestjs/common';
import { TRELLIS_CONSOLE_OPTIONS } from './console.constants';
import { OrchestrationConsoleOptions } from './orchestration-console-options.interface';

/** Builder output of `OrchestrationConsoleModule` (forRoot / forRootAsync). */
export const { ConfigurableModuleClass: ConfigurableConsoleModule } =
  new ConfigurableModuleBuilder<OrchestrationConsoleOptions>({
    optionsInjectionToken: TRELLIS_CONSOLE_OPTIONS,
  })
    .setClassMethodName('forRoot')
    .build();
