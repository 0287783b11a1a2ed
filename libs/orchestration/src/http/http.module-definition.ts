import { ConfigurableModuleBuilder } from '@nestjs/common';
import { OrchestrationHttpOptions } from './http-options.interface';

/** Builder output of `OrchestrationHttpModule` (forRoot / forRootAsync). */
export const {
  ConfigurableModuleClass: ConfigurableHttpModule,
  MODULE_OPTIONS_TOKEN: TRELLIS_HTTP_OPTIONS,
  OPTIONS_TYPE: HTTP_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: HTTP_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OrchestrationHttpOptions>({ moduleName: 'TrellisHttp' })
  .setClassMethodName('forRoot')
  .build();
