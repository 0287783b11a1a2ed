import { Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TRELLIS_OPTIONS } from '../../../orchestration.constants';
import { resolveOrchestrationOptions } from '../../../orchestration-options.defaults';
import { OrchestrationModuleOptions } from '../../../orchestration-options.interface';

/** Compiles a testing module holding one handler and the resolved module options; returns the handler. */
export async function createHandler<T>(
  handler: Type<T>,
  options: OrchestrationModuleOptions = {},
): Promise<T> {
  const moduleRef = await Test.createTestingModule({
    providers: [
      handler,
      { provide: TRELLIS_OPTIONS, useValue: resolveOrchestrationOptions(options) },
    ],
  }).compile();
  return moduleRef.get(handler);
}
