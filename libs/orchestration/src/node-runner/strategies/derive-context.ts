import { NodeContext } from '../node-context.interface';

/** A context like `base` with some fields replaced (keeps `base`'s lazy getters working). */
export function deriveContext(base: NodeContext, overrides: Partial<NodeContext>): NodeContext {
  return Object.assign(Object.create(base) as NodeContext, overrides);
}
