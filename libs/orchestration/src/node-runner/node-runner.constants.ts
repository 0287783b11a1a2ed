/** Metadata key written by `@NodeHandler()`. */
export const NODE_HANDLER_METADATA = 'trellis:node_handler';
