import { ConfigurableModuleBuilder } from '@nestjs/common';
import { OrchestrationModuleOptions } from './orchestration-options.interface';

/** Options that shape the module graph itself, so they sit beside (not inside) the options. */
export interface OrchestrationModuleExtras {
  /** Make the engine injectable everywhere without importing the module again. Default false. */
  isGlobal?: boolean;
  /** `mongo` persists through @nestjs/mongoose; `memory` (default) is embedded and not durable. */
  store?: 'memory' | 'mongo';
  /** The @nestjs/mongoose connection to use with the `mongo` store. Default the default connection. */
  connectionName?: string;
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<OrchestrationModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras<OrchestrationModuleExtras>(
      { isGlobal: false, store: 'memory' },
      (definition) => definition,
    )
    .build();
