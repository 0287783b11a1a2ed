/**
 * Finds the nodes that cannot be topologically ordered (Kahn's algorithm), then walks them
 * iteratively to extract cycles. Linear in nodes + edges; no recursion, so a 10,000-deep
 * chain cannot overflow the stack.
 *
 * @returns every cycle found, as index paths with the first node repeated last; empty for a DAG.
 */
export function findCycles(
  n: number,
  depsStart: Int32Array,
  deps: Int32Array,
  dependentsStart: Int32Array,
  dependents: Int32Array,
): number[][] {
  const remaining = new Int32Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    remaining[i] = depsStart[i + 1] - depsStart[i];
    if (remaining[i] === 0) queue[tail++] = i;
  }
  while (head < tail) {
    const i = queue[head++];
    for (let e = dependentsStart[i]; e < dependentsStart[i + 1]; e++) {
      if (--remaining[dependents[e]] === 0) queue[tail++] = dependents[e];
    }
  }
  if (tail === n) return [];

  // Every node left has an unresolved dependency that is itself left: following
  // dependencies from any of them must revisit a node. Walk, marking the current path.
  const state = new Uint8Array(n); // 0 unseen, 1 on current walk, 2 done
  const onPathAt = new Int32Array(n); // where a node on the current walk sits in `path`
  const cycles: number[][] = [];
  for (let start = 0; start < n; start++) {
    if (remaining[start] === 0 || state[start] !== 0) continue;
    const path: number[] = [];
    let cur = start;
    while (state[cur] === 0) {
      state[cur] = 1;
      onPathAt[cur] = path.length;
      path.push(cur);
      let next = -1;
      for (let e = depsStart[cur]; e < depsStart[cur + 1]; e++) {
        if (remaining[deps[e]] > 0) {
          next = deps[e];
          break;
        }
      }
      cur = next;
    }
    if (state[cur] === 1) cycles.push(readCycle(path.slice(onPathAt[cur])));
    for (const i of path) state[i] = 2;
  }
  return cycles;
}

/**
 * A loop walked along dependencies, as a cycle in execution order (a -> b: b depends on a),
 * starting at the node defined first so the same cycle always reads the same way, first node
 * repeated last.
 */
function readCycle(loop: number[]): number[] {
  loop.reverse();
  let first = 0;
  for (let k = 1; k < loop.length; k++) if (loop[k] < loop[first]) first = k;
  const cycle = [...loop.slice(first), ...loop.slice(0, first)];
  cycle.push(cycle[0]);
  return cycle;
}
