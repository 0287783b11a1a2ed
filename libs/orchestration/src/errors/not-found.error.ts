import { OrchestrationError } from './orchestration.error';

/** A graph, execution or node that was asked for does not exist. */
export class NotFoundError extends OrchestrationError {
  constructor(
    readonly entity: 'graph' | 'execution' | 'node',
    readonly id: string,
  ) {
    super(`${entity.toUpperCase()}_NOT_FOUND`, `No ${entity} with id ${id}`);
  }
}
