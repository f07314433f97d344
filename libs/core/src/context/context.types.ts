/** Who is making the request, as written into the context by the auth library. */
export interface KwikPrincipal {
  /** Stable id of the user, API key or service. */
  id: string;
  /** What kind of principal this is. @default 'user' */
  kind?: 'user' | 'api-key' | 'service' | (string & {});
  email?: string;
  roles?: readonly string[];
  permissions?: readonly string[];
  /** Anything else the auth library wants to carry. */
  [extra: string]: unknown;
}

/** The tenant a request acts for, as written into the context by the tenant library. */
export interface KwikTenantRef {
  id: string;
  slug?: string;
  [extra: string]: unknown;
}

/**
 * A plain, serializable copy of a request context. Capture it inside a request and restore it
 * in a job, a cron run, an SSE stream or a WebSocket message with `RequestContext.run()`.
 */
export interface RequestContextSnapshot {
  requestId?: string;
  ip?: string;
  principal?: KwikPrincipal;
  tenant?: KwikTenantRef;
  apiVersion?: string;
  /** The background job the context runs (the tasks library sets it around a handler). */
  jobId?: string;
  /** Values other libraries stored under their own keys (`kwik:<lib>:<key>`). */
  extras?: Record<string, unknown>;
}
