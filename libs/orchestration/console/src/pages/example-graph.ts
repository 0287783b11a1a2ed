import type { GraphDefinition } from '../api/types';

/**
 * The graph "Load an example" puts in the editor: parallel checks, an approval gate that waits
 * for a signal, then a deploy and a notification; built-in types only (no commands to allow).
 */
export const EXAMPLE_GRAPH: GraphDefinition = {
  name: 'release-with-approval',
  input: { service: 'storefront', version: '1.4.2' },
  nodes: [
    { id: 'build', type: 'DELAY', config: { ms: 300 } },
    { id: 'unit-tests', type: 'DELAY', dependsOn: ['build'], config: { ms: 600 } },
    { id: 'lint', type: 'DELAY', dependsOn: ['build'], config: { ms: 400 } },
    {
      id: 'check-version',
      type: 'VALIDATION',
      dependsOn: ['build'],
      config: { rules: [{ path: 'input.version', operator: 'exists' }] },
    },
    {
      id: 'approval',
      type: 'SYNCHRONIZATION',
      dependsOn: ['unit-tests', 'lint', 'check-version'],
      timeoutMs: 3_600_000,
      config: { waitForSignal: true },
    },
    {
      id: 'deploy',
      type: 'DATA_PROCESSING',
      dependsOn: ['approval'],
      config: { expression: '{ "deployed": input.service, "version": input.version }' },
    },
    {
      id: 'notify',
      type: 'NOTIFICATION',
      dependsOn: ['deploy'],
      config: { channel: 'log', template: 'deployed {{ input.service }} {{ input.version }}' },
    },
  ],
};
