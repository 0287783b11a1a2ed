import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ConsoleAssets } from './console-assets';
import { ConsoleMiddleware } from './console.middleware';
import { ConfigurableConsoleModule } from './orchestration-console.module-definition';

/**
 * The opt-in web console: graphs drawn as DAGs, executions followed live, operator actions. A
 * single-page app built from `libs/orchestration/console` (`npm run build:console`), served
 * offline under `path` (default `/console`) with its own strict Content-Security-Policy; it
 * calls the HTTP API of `OrchestrationHttpModule` (under `apiPath`) with the API key the user
 * enters. Its pages need no key to load: they hold no data.
 */
@Module({ providers: [ConsoleAssets, ConsoleMiddleware] })
export class OrchestrationConsoleModule extends ConfigurableConsoleModule implements NestModule {
  constructor(private readonly assets: ConsoleAssets) {
    super();
  }

  /** Mounts the console's middleware on every GET under its path. */
  configure(consumer: MiddlewareConsumer): void {
    const path = this.assets.options.path;
    consumer
      .apply(ConsoleMiddleware)
      .forRoutes(
        { path, method: RequestMethod.GET },
        { path: `${path}/{*rest}`, method: RequestMethod.GET },
      );
  }
}
