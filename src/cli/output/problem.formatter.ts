/** A graph problem or an API error detail: what {@link formatProblems} shows. */
export interface ProblemLike {
  code?: string;
  path?: string;
  nodeId?: string;
  message: string;
  cycle?: string[];
}

/**
 * One line per problem: `  CODE  path  message`, and for a cycle its path
 * (`cycle: a -> b -> c -> a`) when the message does not already spell it out.
 */
export function formatProblems(problems: readonly ProblemLike[]): string[] {
  return problems.map((problem) => {
    const parts = [problem.code ?? 'ERROR'];
    if (problem.path) parts.push(problem.path);
    parts.push(problem.message);
    const cycle = problem.cycle?.join(' -> ');
    if (cycle && !problem.message.includes(cycle)) parts.push(`(cycle: ${cycle})`);
    return `  ${parts.join('  ')}`;
  });
}
