import { OrchestrationError } from './orchestration.error';

/** Two providers declared `@NodeHandler()` for the same node type; raised at startup. */
export class DuplicateNodeHandlerError extends OrchestrationError {
  constructor(
    readonly nodeType: string,
    readonly existing: string,
    readonly duplicate: string,
  ) {
    super(
      'NODE_HANDLER_DUPLICATE',
      `Node type ${nodeType} has two handlers: ${existing} and ${duplicate}`,
    );
  }
}
