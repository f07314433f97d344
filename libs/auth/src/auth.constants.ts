/** Injection token of the resolved, frozen auth settings. */
export const AUTH_SETTINGS = Symbol('KWIK_AUTH_SETTINGS');
/** Injection token of the raw `AuthModule.forRoot()` options. */
export const AUTH_MODULE_OPTIONS = Symbol('KWIK_AUTH_MODULE_OPTIONS');
/** Context key of why the credentials of the current request were refused. */
export const AUTH_FAILURE_KEY = 'kwik:auth:failure';
/** Context key of the `:own`-only permissions the guard let through (checked against the owner later). */
export const AUTH_OWN_ONLY_KEY = 'kwik:auth:own-only';
