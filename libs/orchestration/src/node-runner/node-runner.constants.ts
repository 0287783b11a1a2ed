/** Metadata key written by `@NodeHandler()`. */
export const NODE_HANDLER_METADATA = 'trellis:node_handler';

/** Injection token of the QUEUED strategy's queue (`NodeQueuePort`); null without a Redis. */
export const TRELLIS_NODE_QUEUE = 'TRELLIS:NODE_QUEUE';
