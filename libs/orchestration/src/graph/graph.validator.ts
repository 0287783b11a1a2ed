import { Inject, Injectable } from '@nestjs/common';
import jsonata from 'jsonata';
import { CycleDetectedError, GraphProblem, GraphValidationError } from '../errors';
import { NodeHandlerRegistry } from '../node-runner/node-handler.registry';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { CompiledGraph } from './compiled-graph';
import { findCycles } from './cycle-finder';
import { GraphDefinition, NodeDefinition } from './graph-definition.interface';
import { checkNodeFields, isIntIn, isPlainObject } from './node-definition.checks';

const GRAPH_KEYS = new Set(['name', 'maxParallelism', 'timeoutMs', 'input', 'nodes', 'metadata']);

/**
 * Validates a graph definition in one linear, iterative pass and compiles it.
 * Every problem is collected (duplicate ids, unknown or self dependencies, cycles with their
 * path, unknown node types, configs their handler rejects, limits) into one error.
 */
@Injectable()
export class GraphValidator {
  constructor(
    private readonly registry: NodeHandlerRegistry,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  /**
   * @throws CycleDetectedError when the only problems are cycles
   * @throws GraphValidationError listing every problem otherwise
   */
  compile(raw: unknown): CompiledGraph {
    const problems: GraphProblem[] = [];
    if (!isPlainObject(raw)) {
      throw new GraphValidationError([
        { code: 'GRAPH_INVALID', path: '', message: 'a graph definition must be a JSON object' },
      ]);
    }
    this.checkGraphFields(raw, problems);
    const rawNodes = Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : [];
    if (rawNodes.length > this.options.maxNodes) {
      throw new GraphValidationError([
        {
          code: 'GRAPH_TOO_LARGE',
          path: 'nodes',
          message: `graph has ${rawNodes.length} nodes; the limit is ${this.options.maxNodes}`,
        },
      ]);
    }

    const index = new Map<string, number>();
    const nodes: NodeDefinition[] = [];
    const rawAt: number[] = [];
    for (let i = 0; i < rawNodes.length; i++) {
      const at = `nodes[${i}]`;
      const node = rawNodes[i];
      if (!checkNodeFields(node, at, problems)) continue;
      if (index.has(node.id)) {
        problems.push({
          code: 'DUPLICATE_NODE_ID',
          path: `${at}.id`,
          nodeId: node.id,
          message: `node id ${node.id} is used more than once`,
        });
        continue;
      }
      this.checkHandler(node, at, problems);
      index.set(node.id, nodes.length);
      rawAt.push(i);
      const deps = node.dependsOn;
      // NOTE: copy only a node that lists a dependency twice; most nodes are kept as given.
      const distinct = deps && deps.length > 1 ? new Set(deps) : undefined;
      nodes.push(
        distinct && distinct.size < deps!.length ? { ...node, dependsOn: [...distinct] } : node,
      );
    }

    const edges = this.collectEdges(rawNodes, nodes, rawAt, index, problems);
    // NOTE: edges join known nodes only, so cycles are searched (and listed) even when other
    // problems were found: a client sees every problem in one answer.
    const graph = new CompiledGraph(raw as unknown as GraphDefinition, nodes, index, edges);
    const cycles = findCycles(
      graph.size,
      graph.depsStart,
      graph.deps,
      graph.dependentsStart,
      graph.dependents,
    ).map((cycle): GraphProblem => {
      const path = cycle.map((i) => nodes[i].id);
      return {
        code: 'CYCLE',
        nodeId: path[0],
        path: `nodes[${rawAt[cycle[0]]}].dependsOn`,
        cycle: path,
        message: `dependency cycle: ${cyclePath(path)}`,
      };
    });
    if (problems.length === 0 && cycles.length === 0) return graph;
    if (problems.length === 0) throw new CycleDetectedError(cycles);
    throw new GraphValidationError([...problems, ...cycles]);
  }

  private checkGraphFields(raw: Record<string, unknown>, problems: GraphProblem[]): void {
    const bad = (path: string, message: string) =>
      problems.push({ code: 'GRAPH_FIELD_INVALID', path, message: `${path} ${message}` });
    if (typeof raw.name !== 'string' || raw.name.trim().length === 0 || raw.name.length > 200) {
      bad('name', 'must be a non-empty string of at most 200 characters');
    }
    if (!Array.isArray(raw.nodes) || raw.nodes.length === 0)
      bad('nodes', 'must be a non-empty array');
    if (raw.maxParallelism !== undefined && !isIntIn(raw.maxParallelism, 1, 100_000)) {
      bad('maxParallelism', 'must be an integer from 1 to 100000');
    }
    if (raw.timeoutMs !== undefined && !isIntIn(raw.timeoutMs, 1, 2_147_483_647))
      bad('timeoutMs', 'must be a positive integer (ms)');
    if (raw.input !== undefined && !isPlainObject(raw.input)) bad('input', 'must be an object');
    if (raw.metadata !== undefined && !isPlainObject(raw.metadata))
      bad('metadata', 'must be an object');
    for (const key of Object.keys(raw)) if (!GRAPH_KEYS.has(key)) bad(key, 'is not a graph field');
  }

  private checkHandler(node: NodeDefinition, at: string, problems: GraphProblem[]): void {
    if (!this.registry.get(node.type)) {
      problems.push({
        code: 'UNKNOWN_NODE_TYPE',
        path: `${at}.type`,
        nodeId: node.id,
        message: `node ${node.id} has unknown type ${node.type} (known: ${this.registry.types().join(', ')})`,
      });
      return;
    }
    const config = node.config ?? {};
    const report = (messages: string[], prefix: string) => {
      for (const m of messages) {
        problems.push({
          code: 'NODE_CONFIG_INVALID',
          path: `${at}.${prefix}${m.split(':')[0]}`,
          nodeId: node.id,
          message: `node ${node.id}: ${prefix}${m}`,
        });
      }
    };
    if (node.strategy === 'SEQUENTIAL' || node.strategy === 'PARALLEL') {
      const steps = config.steps;
      if (!Array.isArray(steps) || steps.length === 0) {
        report(['steps: must be a non-empty array of step configs'], 'config.');
        return;
      }
      if (config.concurrency !== undefined && !isIntIn(config.concurrency, 1, 1000)) {
        report(['concurrency: must be an integer from 1 to 1000'], 'config.');
      }
      steps.forEach((step, s) =>
        report(this.registry.validateConfig(node.type, step), `config.steps[${s}].`),
      );
    } else {
      report(this.registry.validateConfig(node.type, config), 'config.');
    }
    if (node.strategy === 'CONDITIONAL' && typeof node.when === 'string') {
      try {
        jsonata(node.when);
      } catch (error) {
        problems.push({
          code: 'NODE_FIELD_INVALID',
          path: `${at}.when`,
          nodeId: node.id,
          message: `node ${node.id} when is not a valid JSONata expression: ${(error as Error).message}`,
        });
      }
    }
  }

  private collectEdges(
    rawNodes: unknown[],
    nodes: NodeDefinition[],
    rawAt: number[],
    index: Map<string, number>,
    problems: GraphProblem[],
  ) {
    let total = 0;
    for (const node of nodes) total += node.dependsOn?.length ?? 0;
    if (total > this.options.maxEdges) {
      problems.push({
        code: 'GRAPH_TOO_LARGE',
        path: 'nodes',
        message: `graph has ${total} dependencies; the limit is ${this.options.maxEdges}`,
      });
      return { from: new Int32Array(0), to: new Int32Array(0) };
    }
    const from = new Int32Array(total);
    const to = new Int32Array(total);
    let e = 0;
    nodes.forEach((node, i) => {
      for (const dep of node.dependsOn ?? []) {
        const d = index.get(dep);
        if (dep === node.id) {
          problems.push({
            code: 'SELF_DEPENDENCY',
            nodeId: node.id,
            path: `nodes[${rawAt[i]}].dependsOn`,
            message: `node ${node.id} depends on itself`,
          });
        } else if (d === undefined) {
          // NOTE: the position in the list as given (`nodes[i]` may be a de-duplicated copy).
          const given = (rawNodes[rawAt[i]] as NodeDefinition).dependsOn!.indexOf(dep);
          problems.push({
            code: 'UNKNOWN_DEPENDENCY',
            nodeId: node.id,
            path: `nodes[${rawAt[i]}].dependsOn[${given}]`,
            message: `node ${node.id} depends on unknown node ${dep}`,
          });
        } else {
          from[e] = d;
          to[e] = i;
          e++;
        }
      }
    });
    return { from: from.subarray(0, e), to: to.subarray(0, e) };
  }
}

/** A cycle for a message: in full up to 20 nodes, else its ends and its length (`cycle` has it all). */
function cyclePath(path: string[]): string {
  if (path.length <= 20) return path.join(' -> ');
  return `${path.slice(0, 10).join(' -> ')} -> ... -> ${path.slice(-5).join(' -> ')} (${path.length - 1} nodes)`;
}
