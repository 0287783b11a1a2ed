import { OrchestrationError } from './orchestration.error';

/**
 * A stored graph or execution uses a node type that no handler on this instance carries (the
 * handler was removed, or this instance runs other code than the one that stored it). HTTP 409:
 * the request is sound, this instance's handler set does not fit it.
 */
export class NodeTypeUnknownError extends OrchestrationError {
  constructor(
    readonly nodeType: string,
    message = `No handler on this instance runs node type ${nodeType}`,
  ) {
    super('NODE_TYPE_UNKNOWN', message);
  }
}
