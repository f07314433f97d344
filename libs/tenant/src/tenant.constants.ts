/** Injection token of the raw `TenantModule.forRoot()` options. */
export const TENANT_MODULE_OPTIONS = Symbol.for('kwik:tenant:options');
/** Injection token of the resolved, frozen {@link TenancyConfig}. */
export const TENANCY_CONFIG = Symbol.for('kwik:tenant:config');
/** Context key of a tenant resolution failure, answered by the `TenantGuard`. */
export const TENANT_FAILURE_KEY = 'kwik:tenant:failure';
