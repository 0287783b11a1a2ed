import { LookupErrorCode } from './orchestration-error-code';
import { OrchestrationError } from './orchestration.error';

const CODES: Readonly<Record<NotFoundError['entity'], LookupErrorCode>> = {
  graph: 'GRAPH_NOT_FOUND',
  execution: 'EXECUTION_NOT_FOUND',
  node: 'NODE_NOT_FOUND',
};

/** A graph, execution or node that was asked for does not exist (`GRAPH_NOT_FOUND`, ...). */
export class NotFoundError extends OrchestrationError {
  constructor(
    readonly entity: 'graph' | 'execution' | 'node',
    readonly id: string,
  ) {
    super(CODES[entity], `No ${entity} with id ${id}`);
  }
}
