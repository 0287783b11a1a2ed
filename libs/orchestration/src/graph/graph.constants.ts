/**
 * Most problems a graph rejection lists: the first 100 found. The rest are only counted
 * (`GraphValidationError.total`), so a definition with 200,000 broken references answers with a
 * short error, not one of tens of megabytes.
 */
export const MAX_GRAPH_PROBLEMS = 100;
