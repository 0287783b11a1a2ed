/** Options of `OrchestrationConsoleModule.forRoot()`. */
export interface OrchestrationConsoleOptions {
  /**
   * Where the console is served, e.g. `admin/trellis`. Default `console`. Like any Nest route it
   * goes under the host's global prefix: with `app.setGlobalPrefix('api')`, `/api/admin/trellis`.
   */
  path?: string;
  /**
   * The prefix under which the host mounted `OrchestrationHttpModule` (the API the console
   * calls), e.g. `v1` when a RouterModule puts it there. Default `''` (the API at the root).
   * Like `path`, it is under the global prefix, which the console adds itself.
   */
  apiPath?: string;
  /**
   * The directory of the built console (`index.html` and `assets/`), as `npm run build:console`
   * writes it. Default: `console/dist` of the library, beside its `src`.
   */
  assetsDir?: string;
}

/** The options with every default applied. */
export interface ResolvedConsoleOptions {
  /** Starts with `/`, no trailing `/`: `/console`. */
  path: string;
  /** `''` or starts with `/`, no trailing `/`. */
  apiPath: string;
  assetsDir: string;
}
