import type { ApiErrorDetail } from '../api/api-error';
import type { GraphDefinition } from '../api/types';

/** A node as the console draws and lists it. */
export interface DagNode {
  id: string;
  type: string;
  strategy: string;
  critical: boolean;
  /** A dependency named by some node but not defined: drawn dashed, as a problem. */
  ghost: boolean;
  /** Problems of this node from validation, as messages. */
  problems: string[];
}

/** A graph definition ready to lay out and draw, with its validation problems placed on it. */
export interface DagModel {
  nodes: DagNode[];
  index: Map<string, DagNode>;
  /** Dependency edges, from the dependency to the dependent. */
  edges: [string, string][];
  /** Edges that are part of a problem, by `from\0to`: on a cycle or to an unknown node. */
  problemEdges: Map<string, 'cycle' | 'unknown'>;
  /** Problems that name no node (shown in the list only). */
  graphProblems: string[];
}

/** The key of an edge in `problemEdges`. */
export function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * Builds the model of a definition. Unknown dependencies become ghost nodes; `problems` (the
 * `details` of a GRAPH_INVALID or GRAPH_CYCLE answer) mark their nodes, and a cycle marks every
 * edge along its path.
 */
export function buildModel(definition: GraphDefinition, problems: ApiErrorDetail[] = []): DagModel {
  const defaultStrategy = definition.defaults?.strategy ?? 'DIRECT';
  const nodes: DagNode[] = [];
  const index = new Map<string, DagNode>();
  for (const node of Array.isArray(definition.nodes) ? definition.nodes : []) {
    if (!node || typeof node.id !== 'string' || index.has(node.id)) continue;
    const dag: DagNode = {
      id: node.id,
      type: String(node.type ?? '?'),
      strategy: String(node.strategy ?? defaultStrategy),
      critical: node.critical === true,
      ghost: false,
      problems: [],
    };
    nodes.push(dag);
    index.set(dag.id, dag);
  }
  const edges: [string, string][] = [];
  const problemEdges = new Map<string, 'cycle' | 'unknown'>();
  for (const node of nodes) {
    const raw = definition.nodes.find((n) => n?.id === node.id)?.dependsOn;
    for (const dep of Array.isArray(raw) ? raw : []) {
      if (typeof dep !== 'string') continue;
      if (!index.has(dep)) {
        const ghost: DagNode = {
          id: dep,
          type: 'unknown',
          strategy: '',
          critical: false,
          ghost: true,
          problems: [`unknown node, named in dependsOn of ${node.id}`],
        };
        nodes.push(ghost);
        index.set(dep, ghost);
      }
      if (index.get(dep)!.ghost) problemEdges.set(edgeKey(dep, node.id), 'unknown');
      edges.push([dep, node.id]);
    }
  }
  const graphProblems: string[] = [];
  for (const problem of problems) {
    const message = problem.message ?? problem.code ?? 'problem';
    const cycle = Array.isArray(problem.cycle) ? problem.cycle : null;
    if (cycle) {
      for (let i = 0; i + 1 < cycle.length; i++) {
        problemEdges.set(edgeKey(cycle[i], cycle[i + 1]), 'cycle');
        problemEdges.set(edgeKey(cycle[i + 1], cycle[i]), 'cycle');
        index.get(cycle[i])?.problems.push(message);
      }
    } else if (problem.nodeId && index.has(problem.nodeId)) {
      index.get(problem.nodeId)!.problems.push(message);
    } else {
      graphProblems.push(message);
    }
  }
  return { nodes, index, edges, problemEdges, graphProblems };
}
