/** Injection token of the resolved `OrchestrationModuleOptions` (defaults merged). */
export const TRELLIS_OPTIONS = 'TRELLIS:OPTIONS';
