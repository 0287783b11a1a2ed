export * from './cli.error';
export * from './cli-usage.error';
export * from './invalid-graph.error';
export * from './api-request.error';
export * from './api-unreachable.error';
