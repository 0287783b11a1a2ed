/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_ROUTE = 'trellis:public_route';

/** Property of a request on which `ApiKeyGuard` sets the name of the API key used. */
export const OPERATOR_REQUEST_KEY = 'trellisOperator';

/** Longest `reason` an operator action takes. */
export const MAX_REASON_LENGTH = 1000;
