import { OrchestrationError } from './orchestration.error';

/** An execution was halted: a critical node failed, or the execution ran past its timeout. */
export class GraphExecutionHalt extends OrchestrationError {
  constructor(
    message: string,
    /** The node whose failure halted the execution, when a node did. */
    readonly nodeId?: string,
  ) {
    super('EXECUTION_HALTED', message);
  }
}
