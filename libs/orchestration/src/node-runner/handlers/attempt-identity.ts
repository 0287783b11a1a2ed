import { NodeContext } from '../node-context.interface';

/** Header an HTTP action sends the attempt's fencing token in. */
export const FENCING_TOKEN_HEADER = 'Trellis-Fencing-Token';
/** Environment variable a command gets the attempt's fencing token in. */
export const FENCING_TOKEN_ENV = 'TRELLIS_FENCING_TOKEN';

/** Who is calling out: the attempt an action belongs to. */
export interface AttemptIdentity {
  executionId: string;
  nodeId: string;
  attempt: number;
  fencingToken: number;
}

/** The identity of the attempt behind a handler's context. */
export function identityOf(
  context: Pick<NodeContext, 'executionId' | 'node' | 'attempt' | 'fencingToken'>,
): AttemptIdentity {
  return {
    executionId: context.executionId,
    nodeId: context.node.id,
    attempt: context.attempt,
    fencingToken: context.fencingToken,
  };
}

/**
 * Headers an HTTP action carries, so the service it calls can refuse a stale attempt (one whose
 * engine lost the execution): it keeps the highest `Trellis-Fencing-Token` seen per execution.
 */
export function attemptHeaders(identity: AttemptIdentity): Record<string, string> {
  return {
    [FENCING_TOKEN_HEADER]: String(identity.fencingToken),
    'Trellis-Execution-Id': identity.executionId,
    'Trellis-Node-Id': identity.nodeId,
    'Trellis-Attempt': String(identity.attempt),
  };
}

/** The same for a command's environment. */
export function attemptEnv(identity: AttemptIdentity): Record<string, string> {
  return {
    [FENCING_TOKEN_ENV]: String(identity.fencingToken),
    TRELLIS_EXECUTION_ID: identity.executionId,
    TRELLIS_NODE_ID: identity.nodeId,
    TRELLIS_ATTEMPT: String(identity.attempt),
  };
}
