import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { OrchestrationModule } from '@trellis/orchestration';

/** What `trellis run` lets the in-process engine do. */
export interface CliEngineOptions {
  /** Executables (exact argv[0]) that `command` actions may run; empty: commands are refused. */
  commandAllowlist: string[];
}

/**
 * The host module of the CLI's in-process engine: the library on the embedded (in-memory) store,
 * with the built-in node types. The CLI process is the host here, so it owns
 * `ScheduleModule.forRoot()`.
 */
@Module({})
export class CliEngineModule {
  /** The module for one command invocation; options come from its command line. */
  static forOptions(options: CliEngineOptions): DynamicModule {
    return {
      module: CliEngineModule,
      imports: [
        ScheduleModule.forRoot(),
        OrchestrationModule.forRoot({
          store: 'memory',
          instanceId: 'cli',
          recoverOnStartup: false,
          allowCommands: options.commandAllowlist.length > 0,
          commandAllowlist: options.commandAllowlist,
        }),
      ],
    };
  }
}
