/** OpenAPI (`/docs`) settings. */
export interface KwikDocsOptions {
  /** Path of the UI; the JSON document is served at `<path>/json`. @default 'docs' */
  path?: string;
  /** @default 'Kwik API' */
  title?: string;
  /** @default '1.0.0' */
  version?: string;
  /** @default '' */
  description?: string;
}

/** Options of `KwikModule.forRoot()` / `forRootAsync()`. */
export interface KwikModuleOptions {
  /** Base of the `type` URI of problem+json responses. @default 'https://kwik.dev/problems/' */
  problemTypeBase?: string;
  /** OpenAPI document and UI; `false` turns both off. @default { path: 'docs' } */
  docs?: KwikDocsOptions | false;
  /**
   * Redis connection for readiness and the libraries that share it.
   * @default { url: config.REDIS_URL } (none when unset)
   */
  redis?: { url?: string };
  /** Per-check timeout of `/health/ready` in milliseconds. @default 2000 */
  readinessTimeoutMs?: number;
}
