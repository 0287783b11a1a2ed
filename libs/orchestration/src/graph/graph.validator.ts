import { Inject, Injectable } from '@nestjs/common';
import { CycleDetectedError, GraphProblem, GraphValidationError } from '../errors';
import { NodeHandlerRegistry } from '../node-runner/node-handler.registry';
import { ExecutionStrategyRegistry } from '../node-runner/strategies/execution-strategy.registry';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { CompiledGraph } from './compiled-graph';
import { findCycles } from './cycle-finder';
import { GraphDefinition, NodeDefinition } from './graph-definition.interface';
import { GraphProblemList } from './graph-problem.list';
import { checkNodeDefaults, withNodeDefaults } from './node-defaults';
import { checkNodeFields, isIntIn, isPlainObject } from './node-definition.checks';

const GRAPH_KEYS = new Set([
  'name',
  'maxParallelism',
  'timeoutMs',
  'input',
  'defaults',
  'nodes',
  'metadata',
]);

/**
 * Validates a graph definition in one linear, iterative pass and compiles it. Problems are
 * collected (duplicate ids, unknown or self dependencies, cycles with their path, unknown node
 * types, what each node's strategy and handler reject, limits) into one error: the first
 * `MAX_GRAPH_PROBLEMS` (100) of them, with the count of all.
 */
@Injectable()
export class GraphValidator {
  constructor(
    private readonly registry: NodeHandlerRegistry,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
    private readonly strategies: ExecutionStrategyRegistry,
  ) {}

  /**
   * `stored`: the definition was validated when it was stored; only its structure is checked
   * again, not what depends on this process (registered types, their configs, size limits), so
   * an execution of it can still be read, and failed, when a type is gone.
   * @throws CycleDetectedError when the only problems are cycles
   * @throws GraphValidationError listing the first problems (and counting all) otherwise
   */
  compile(raw: unknown, options: { stored?: boolean } = {}): CompiledGraph {
    if (!isPlainObject(raw)) {
      throw new GraphValidationError([
        { code: 'GRAPH_INVALID', path: '', message: 'a graph definition must be a JSON object' },
      ]);
    }
    const problems = new GraphProblemList();
    this.checkGraphFields(raw, problems);
    const rawNodes = Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : [];
    if (!options.stored && rawNodes.length > this.options.maxNodes) {
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
    const knownTypes = this.registry.types().join(', ');
    const defaults = checkNodeDefaults(raw.defaults, problems, this.strategies);
    for (let i = 0; i < rawNodes.length; i++) {
      const at = `nodes[${i}]`;
      const node = withNodeDefaults(rawNodes[i], defaults);
      if (!checkNodeFields(node, at, problems, this.strategies)) continue;
      if (index.has(node.id)) {
        problems.push({
          code: 'DUPLICATE_NODE_ID',
          path: `${at}.id`,
          nodeId: node.id,
          message: `node id ${node.id} is used more than once`,
        });
        continue;
      }
      if (!options.stored) this.checkNode(node, at, knownTypes, problems);
      index.set(node.id, nodes.length);
      rawAt.push(i);
      const deps = node.dependsOn;
      // NOTE: copy only a node that lists a dependency twice; most nodes are kept as given.
      const distinct = deps && deps.length > 1 ? new Set(deps) : undefined;
      nodes.push(
        distinct && distinct.size < deps!.length ? { ...node, dependsOn: [...distinct] } : node,
      );
    }

    const edges = this.collectEdges(
      rawNodes,
      nodes,
      rawAt,
      index,
      problems,
      options.stored ?? false,
    );
    // NOTE: edges join known nodes only, so cycles are searched (and listed) even when other
    // problems were found: a client sees every kind of problem in one answer.
    const graph = new CompiledGraph(raw as unknown as GraphDefinition, nodes, index, edges);
    const otherProblems = problems.total;
    const cycles = findCycles(
      graph.size,
      graph.depsStart,
      graph.deps,
      graph.dependentsStart,
      graph.dependents,
    );
    for (const cycle of cycles) problems.push(cycleProblem(cycle, nodes, rawAt));
    if (problems.total === 0) return graph;
    if (otherProblems === 0) throw new CycleDetectedError(problems.items, problems.total);
    throw new GraphValidationError(problems.items, { total: problems.total });
  }

  private checkGraphFields(raw: Record<string, unknown>, problems: GraphProblemList): void {
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

  /** The node's type must be registered; its strategy checks its fields and config(s). */
  private checkNode(
    node: NodeDefinition,
    at: string,
    knownTypes: string,
    problems: GraphProblemList,
  ): void {
    const known = this.registry.get(node.type) !== undefined;
    if (!known) {
      problems.push({
        code: 'UNKNOWN_NODE_TYPE',
        path: `${at}.type`,
        nodeId: node.id,
        message: `node ${node.id} has unknown type ${node.type} (known: ${knownTypes})`,
      });
    }
    // NOTE: a strategy this version does not run was reported with the node's fields.
    const strategy = this.strategies.get(node.strategy);
    if (!strategy) return;
    const checkConfig = known
      ? (config: unknown) => this.registry.validateConfig(node.type, config)
      : () => [];
    for (const problem of strategy.validate(node, checkConfig)) {
      problems.push({
        code: problem.code,
        path: `${at}.${problem.path}`,
        nodeId: node.id,
        message: `node ${node.id}: ${problem.message}`,
      });
    }
  }

  private collectEdges(
    rawNodes: unknown[],
    nodes: NodeDefinition[],
    rawAt: number[],
    index: Map<string, number>,
    problems: GraphProblemList,
    stored: boolean,
  ) {
    let total = 0;
    for (const node of nodes) total += node.dependsOn?.length ?? 0;
    if (!stored && total > this.options.maxEdges) {
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
      const given = rawNodes[rawAt[i]] as NodeDefinition;
      const deps = given.dependsOn ?? [];
      // NOTE: the list as given, for the positions in paths; `node` is a de-duplicated copy only
      // when it lists a dependency twice, and then each is taken once, at its first position.
      const seen = node === given ? undefined : new Set<string>();
      for (let k = 0; k < deps.length; k++) {
        const dep = deps[k];
        if (seen) {
          if (seen.has(dep)) continue;
          seen.add(dep);
        }
        const d = index.get(dep);
        if (dep === node.id) {
          problems.push({
            code: 'SELF_DEPENDENCY',
            nodeId: node.id,
            path: `nodes[${rawAt[i]}].dependsOn`,
            message: `node ${node.id} depends on itself`,
          });
        } else if (d === undefined) {
          problems.push({
            code: 'UNKNOWN_DEPENDENCY',
            nodeId: node.id,
            path: `nodes[${rawAt[i]}].dependsOn[${k}]`,
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

function cycleProblem(cycle: number[], nodes: NodeDefinition[], rawAt: number[]): GraphProblem {
  const path = cycle.map((i) => nodes[i].id);
  return {
    code: 'CYCLE',
    nodeId: path[0],
    path: `nodes[${rawAt[cycle[0]]}].dependsOn`,
    cycle: path,
    message: `dependency cycle: ${cyclePath(path)}`,
  };
}

/** A cycle for a message: in full up to 20 nodes, else its ends and its length (`cycle` has it all). */
function cyclePath(path: string[]): string {
  if (path.length <= 20) return path.join(' -> ');
  return `${path.slice(0, 10).join(' -> ')} -> ... -> ${path.slice(-5).join(' -> ')} (${path.length - 1} nodes)`;
}
