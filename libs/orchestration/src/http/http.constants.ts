/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_ROUTE = 'trellis:public_route';
