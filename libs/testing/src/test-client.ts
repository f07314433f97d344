import { OpenApiResponseValidator } from './response-validator.js';
/** Someone the client can sign in as: an account's email and password (a factory's user, a seed's). */
export interface TestUser {
  readonly email: string;
  readonly password: string;
  /** The tenant (slug) the account belongs to; else the client's `asTenant()`. */
  readonly tenant?: string;
}

/** An RFC 9457 problem, as Kwik answers errors. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

/** A response with its body read (JSON when the server said so, else text). */
export interface TestResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body (`undefined` for an empty or non-JSON body). */
  readonly body: T;
  /** The raw body. */
  readonly text: string;
  /** The problem, when the answer is `application/problem+json`. */
  readonly problem: Problem | undefined;
  /** Throws (with the method, path, status and body) unless the status is `status`; returns the response. */
  expectStatus(status: number): TestResponse<T>;
  /** Throws unless the answer is a problem with this status (and, if given, a field error on `field`). */
  expectProblem(status: number, field?: string): Problem;
}

/** Options of a {@link TestClient}. */
export interface TestClientOptions {
  /** Where the app's auth routes are (`<authPath>/login`). @default '/api/auth' */
  authPath?: string;
  /** The header naming the tenant. @default 'x-tenant-id' */
  tenantHeader?: string;
  /**
   * Check every JSON response against the schema the app's OpenAPI document gives for its route and
   * status (the document of the response's `api-version` with the versioning library); a mismatch
   * rejects the request with the violations. Undocumented routes, statuses and media types pass;
   * with `'strict'` a JSON response the document does not describe fails too.
   * @default false
   */
  validateResponses?: boolean | 'strict';
  /** Where the app serves its OpenAPI documents (`<docsPath>/json`). @default '/docs' */
  docsPath?: string;
}

interface ClientState {
  readonly baseUrl: string;
  readonly authPath: string;
  readonly tenantHeader: string;
  /** Access tokens by `tenant|email`, shared by every client derived from one. */
  readonly tokens: Map<string, Promise<string>>;
  readonly validator?: OpenApiResponseValidator;
}

interface Identity {
  readonly user?: TestUser;
  readonly tenant?: string;
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * HTTP against a running test app, signed in through the app's own auth: `getAs(user, path)` logs
 * the user in once (`POST <authPath>/login`, with the tenant header) and reuses the access token;
 * no guard is overridden, so permissions, tenancy and rate limits are the real ones. Clients are
 * immutable: `asTenant()`, `as()`, `withApiKey()` and `withHeaders()` return new ones sharing the
 * token cache.
 *
 * @example
 * const client = testApp.client.asTenant('acme');
 * const res = await client.getAs(admin, '/api/posts?limit=5');
 * res.expectStatus(200);
 * (await client.postAs(reader, '/api/posts', { title: 'x' })).expectProblem(403);
 */
export class TestClient {
  private constructor(
    private readonly state: ClientState,
    private readonly identity: Identity,
  ) {}

  static create(baseUrl: string, options: TestClientOptions = {}): TestClient {
    const trimmed = (options.authPath ?? '/api/auth').replace(/^\/+|\/+$/g, '');
    const authPath = trimmed === '' ? '' : `/${trimmed}`;
    return new TestClient(
      {
        baseUrl,
        authPath,
        tenantHeader: options.tenantHeader ?? 'x-tenant-id',
        tokens: new Map(),
        validator: options.validateResponses
          ? new OpenApiResponseValidator(baseUrl, options.docsPath, {
              strict: options.validateResponses === 'strict',
            })
          : undefined,
      },
      {},
    );
  }

  /** The same client inside tenant `slug` (the tenant header on every request, and on logins). */
  asTenant(slug: string): TestClient {
    return new TestClient(this.state, { ...this.identity, tenant: slug });
  }

  /** The same client signed in as `user` for every request. */
  as(user: TestUser): TestClient {
    return new TestClient(this.state, { ...this.identity, user, apiKey: undefined });
  }

  /** The same client authenticating with an API key (`Authorization: Bearer <key>`). */
  withApiKey(key: string): TestClient {
    return new TestClient(this.state, { ...this.identity, apiKey: key, user: undefined });
  }

  /** The same client sending this access token (`Authorization: Bearer <token>`), e.g. one a refresh returned. */
  withToken(token: string): TestClient {
    return this.withApiKey(token);
  }

  /** The same client with extra headers on every request. */
  withHeaders(headers: Record<string, string>): TestClient {
    return new TestClient(this.state, {
      ...this.identity,
      headers: { ...this.identity.headers, ...headers },
    });
  }

  /** An access token for `user` (logged in once per tenant and email, then cached). */
  token(user: TestUser): Promise<string> {
    const tenant = user.tenant ?? this.identity.tenant;
    const key = `${tenant ?? ''}|${user.email}`;
    let token = this.state.tokens.get(key);
    if (!token) {
      token = this.login(user, tenant);
      // A failed login is not cached: the next call tries again.
      token.catch(() => this.state.tokens.delete(key));
      this.state.tokens.set(key, token);
    }
    return token;
  }

  /** Forgets cached tokens (after a logout or a role change): `user`'s in every tenant, or all of them. */
  forgetTokens(user?: TestUser): void {
    if (user === undefined) return this.state.tokens.clear();
    for (const key of this.state.tokens.keys())
      if (key.slice(key.indexOf('|') + 1) === user.email) this.state.tokens.delete(key);
  }

  /**
   * What `validateResponses` has done so far, for the whole client family: JSON responses checked
   * against a documented schema, and those the document did not describe (passed unless `'strict'`).
   * Undefined without `validateResponses`.
   */
  get validation(): { readonly checked: number; readonly undocumented: number } | undefined {
    const v = this.state.validator;
    return v ? { checked: v.checked, undocumented: v.undocumented } : undefined;
  }

  get<T = any>(path: string, init?: RequestInit): Promise<TestResponse<T>> {
    return this.request<T>('GET', path, undefined, init);
  }

  post<T = any>(path: string, body?: unknown, init?: RequestInit): Promise<TestResponse<T>> {
    return this.request<T>('POST', path, body, init);
  }

  put<T = any>(path: string, body?: unknown, init?: RequestInit): Promise<TestResponse<T>> {
    return this.request<T>('PUT', path, body, init);
  }

  patch<T = any>(path: string, body?: unknown, init?: RequestInit): Promise<TestResponse<T>> {
    return this.request<T>('PATCH', path, body, init);
  }

  delete<T = any>(path: string, init?: RequestInit): Promise<TestResponse<T>> {
    return this.request<T>('DELETE', path, undefined, init);
  }

  getAs<T = any>(user: TestUser, path: string, init?: RequestInit): Promise<TestResponse<T>> {
    return this.as(user).get<T>(path, init);
  }

  postAs<T = any>(
    user: TestUser,
    path: string,
    body?: unknown,
    init?: RequestInit,
  ): Promise<TestResponse<T>> {
    return this.as(user).post<T>(path, body, init);
  }

  putAs<T = any>(user: TestUser, path: string, body?: unknown, init?: RequestInit): Promise<TestResponse<T>> {
    return this.as(user).put<T>(path, body, init);
  }

  patchAs<T = any>(
    user: TestUser,
    path: string,
    body?: unknown,
    init?: RequestInit,
  ): Promise<TestResponse<T>> {
    return this.as(user).patch<T>(path, body, init);
  }

  deleteAs<T = any>(user: TestUser, path: string, init?: RequestInit): Promise<TestResponse<T>> {
    return this.as(user).delete<T>(path, init);
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    init: RequestInit = {},
  ): Promise<TestResponse<T>> {
    const headers = new Headers(this.identity.headers);
    // The client's tenant, else the signed-in user's own.
    const tenant = this.identity.tenant ?? this.identity.user?.tenant;
    if (tenant !== undefined) headers.set(this.state.tenantHeader, tenant);
    if (this.identity.apiKey !== undefined) headers.set('authorization', `Bearer ${this.identity.apiKey}`);
    if (this.identity.user) headers.set('authorization', `Bearer ${await this.token(this.identity.user)}`);
    new Headers(init.headers).forEach((value, name) => headers.set(name, value));
    let payload = init.body;
    if (body !== undefined) {
      // Objects go as JSON; a string goes as it is (say its type in `init.headers`).
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (typeof body !== 'string' && !headers.has('content-type'))
        headers.set('content-type', 'application/json');
    }
    const res = await fetch(new URL(path, this.state.baseUrl), { ...init, method, headers, body: payload });
    const response = await readResponse<T>(method, path, res);
    const violations = this.state.validator
      ? await this.state.validator.check(method, path, response.status, response.headers, response.body)
      : [];
    if (violations.length > 0)
      throw new Error(
        `${method} ${path} answered ${response.status} with a body its OpenAPI document does not allow:\n  - ${violations.join('\n  - ')}\n${response.text.slice(0, 500)}`,
      );
    return response;
  }

  private async login(user: TestUser, tenant: string | undefined): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (tenant !== undefined) headers[this.state.tenantHeader] = tenant;
    const res = await fetch(new URL(`${this.state.authPath}/login`, this.state.baseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const read = await readResponse<{ accessToken?: string; mfaRequired?: boolean }>(
      'POST',
      `${this.state.authPath}/login`,
      res,
    );
    if (read.status === 200 && typeof read.body?.accessToken === 'string') return read.body.accessToken;
    const why = read.body?.mfaRequired
      ? 'the account has MFA enabled (TestClient signs in with a password only)'
      : `${read.status} ${read.text.slice(0, 300)}`;
    throw new Error(
      `TestClient could not sign in as ${user.email}${tenant ? ` in tenant "${tenant}"` : ''} at ${this.state.authPath}/login: ${why}`,
    );
  }
}

async function readResponse<T>(method: string, path: string, res: Response): Promise<TestResponse<T>> {
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  let body: unknown;
  if (text.length > 0 && /[/+]json\b/.test(type)) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  const problem = type.startsWith('application/problem+json') ? (body as Problem) : undefined;
  const describe = () => `${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`;
  const response: TestResponse<T> = {
    status: res.status,
    headers: res.headers,
    body: body as T,
    text,
    problem,
    expectStatus(status) {
      if (res.status !== status) throw new Error(`Expected ${status}: ${describe()}`);
      return response;
    },
    expectProblem(status, field) {
      if (res.status !== status || !problem)
        throw new Error(`Expected a ${status} problem+json: ${describe()}`);
      if (field !== undefined && !problem.errors?.some((e) => e.field === field))
        throw new Error(`Expected a field error on "${field}": ${describe()}`);
      return problem;
    },
  };
  return response;
}
