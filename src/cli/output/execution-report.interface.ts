/**
 * What the CLI shows about an execution, whether it ran in-process (`run`) or on a server
 * (`submit --wait`, `status`). Times are Dates or ISO strings.
 */
export interface ExecutionReport {
  id: string;
  graphId: string;
  status: string;
  error?: { code: string; message: string } | null;
  createdAt?: Date | string | null;
  startedAt?: Date | string | null;
  completedAt?: Date | string | null;
  nodes: NodeReport[];
}

/** One node of an {@link ExecutionReport}. */
export interface NodeReport {
  nodeId: string;
  status: string;
  attempts: number;
  error?: { code: string; message: string } | null;
}
