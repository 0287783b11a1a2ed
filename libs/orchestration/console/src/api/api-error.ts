/** An error answer of the API, in its one shape (docs/HTTP-API.md). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly state?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One entry of an error's `details` (a graph problem, a field, a node's state). */
export interface ApiErrorDetail {
  code?: string;
  path?: string;
  nodeId?: string;
  message?: string;
  cycle?: string[];
  [key: string]: unknown;
}
