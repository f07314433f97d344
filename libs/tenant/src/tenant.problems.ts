import { ProblemException, ProblemKind } from '@kwik/core';

/** Problem kinds (the last segment of `type`) the tenancy library answers with. */
export const TenantProblemKind = {
  /** 400: the route needs a tenant and the request named none. */
  Required: 'tenant-required',
  /** 400: the tenant was named in a malformed way. */
  Invalid: 'tenant-invalid',
  /** 404: no tenant with that slug / id. */
  NotFound: 'tenant-not-found',
  /** 403: the credentials belong to another tenant. */
  Mismatch: 'tenant-mismatch',
  /** 403: the tenant exists but is suspended. */
  Suspended: 'tenant-suspended',
} as const;

/** 400 for a request without a tenant on a route that needs one. */
export function tenantRequired(header: string, sources: readonly string[]): ProblemException {
  return new ProblemException({
    status: 400,
    kind: TenantProblemKind.Required,
    title: 'Tenant required',
    detail: `This route acts for one organization: name it (${describeSources(header, sources)}).`,
  });
}

/** 400 for a tenant named in a malformed way. */
export function tenantInvalid(detail: string): ProblemException {
  return new ProblemException({
    status: 400,
    kind: TenantProblemKind.Invalid,
    title: 'Invalid tenant',
    detail,
  });
}

/** 404 for a tenant that does not exist. */
export function tenantNotFound(what: string): ProblemException {
  return new ProblemException({
    status: 404,
    kind: TenantProblemKind.NotFound,
    title: 'Tenant not found',
    detail: `No organization ${what}.`,
  });
}

/** 403 for credentials of tenant A used with tenant B. */
export function tenantMismatch(named: string): ProblemException {
  return new ProblemException({
    status: 403,
    kind: TenantProblemKind.Mismatch,
    title: 'Forbidden',
    detail: `These credentials belong to another organization than "${named}".`,
  });
}

/** 403 for a suspended tenant. */
export function tenantSuspended(slug: string): ProblemException {
  return new ProblemException({
    status: 403,
    kind: TenantProblemKind.Suspended,
    title: 'Forbidden',
    detail: `The organization "${slug}" is suspended.`,
  });
}

/** 400 for a request body that breaks a registry rule (used by the admin endpoints). */
export function tenantBadRequest(detail: string): ProblemException {
  return new ProblemException({ status: 400, kind: ProblemKind.BadRequest, title: 'Bad Request', detail });
}

function describeSources(header: string, sources: readonly string[]): string {
  const names: Record<string, string> = {
    header: `the ${header} header`,
    subdomain: 'the subdomain',
    token: 'a token issued for it',
  };
  return sources.map((s) => names[s] ?? `the ${s} resolver`).join(', or ');
}
