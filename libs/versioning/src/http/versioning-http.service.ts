import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  contextStoreOf,
  DEFAULT_PROBLEM_TYPE_BASE,
  KWIK_MODULE_OPTIONS,
  PROBLEM_CONTENT_TYPE,
  type ContextStore,
  type KwikModuleOptions,
  type ProblemDetails,
} from '@kwik/core';
import { VersionChain, VersionFieldError } from '../changes/version-chain.js';
import { VersionUsage } from '../deprecation/version-usage.js';
import { versionReader, type VersionReading } from '../negotiation/version-reader.js';
import type { ResolvedDeprecation, ResolvedVersioningOptions } from '../resolve-options.js';
import { VERSIONING_RESOLVED_OPTIONS } from '../versioning.constants.js';
import { VersioningProblemKind } from '../versioning.errors.js';

type Done = (error?: Error | null, payload?: unknown) => void;

/** The context-store key of a route-level deprecation (set by `DeprecationGuard`). */
export const ROUTE_DEPRECATION_KEY = 'kwik:versioning:route-deprecation';
/**
 * The context-store key of a request that names a later version's field: refused (400) by
 * `DeprecationGuard`, after the guards before it (authentication answers first).
 */
export const VERSION_FIELD_ERROR_KEY = 'kwik:versioning:field-error';
const READING = Symbol('kwik:versioning:reading');
const SERVED = Symbol('kwik:versioning:served');
/** Set on a problem already in the client's version's terms (not to be renamed again). */
const OWN_PROBLEM = Symbol('kwik:versioning:own-problem');
type RawWithReading = IncomingMessage & {
  [READING]?: VersionReading;
  [SERVED]?: string;
  [OWN_PROBLEM]?: true;
};

/**
 * Versioning on the HTTP path, as Fastify hooks (no interceptor): `onRequest` reads the version
 * (406 problem when refused), records it in the request context and counts it; `preValidation`
 * migrates an older request's body and shaped-list parameters up; `preSerialization` migrates the
 * response body down; `onSend` sets `Content-Type`, `Api-Version`, `Vary`, the deprecation headers
 * and renames fields in `Link` headers and problem bodies. A request of the latest version on a
 * route without changes costs one lookup per hook.
 */
@Injectable()
export class VersioningHttp implements OnApplicationBootstrap {
  private readonly read: (request: IncomingMessage) => VersionReading;
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];
  private typeBase: string;
  private readonly vary: string | undefined;
  /** Where a successor version is documented (`/docs?urls.primaryName=v2`), when documents are served. */
  private readonly docsPath: string | undefined;
  /** `"<vendor type>` in an Accept header: the client asked with the vendor media type. */
  private readonly vendorAccept: RegExp;
  /** With URI versions, the version prefix of route patterns (`/v2/items/:id` is `/items/:id` to changes). */
  private readonly uriRoute: RegExp | undefined;

  constructor(
    @Inject(VERSIONING_RESOLVED_OPTIONS) private readonly options: ResolvedVersioningOptions,
    private readonly chain: VersionChain,
    private readonly usage: VersionUsage,
    private readonly adapterHost: HttpAdapterHost,
    @Optional() @Inject(KWIK_MODULE_OPTIONS) kwikOptions?: KwikModuleOptions,
  ) {
    const read = versionReader(options);
    this.read = (raw) => ((raw as RawWithReading)[READING] ??= read(raw));
    for (const p of options.excludePaths) {
      if (p.endsWith('*')) this.prefixes.push(p.slice(0, -1));
      else this.exact.add(p);
    }
    this.typeBase = kwikOptions?.problemTypeBase ?? DEFAULT_PROBLEM_TYPE_BASE;
    this.vary =
      options.type === 'media-type' ? 'accept' : options.type === 'header' ? options.header : undefined;
    this.uriRoute =
      options.type === 'uri'
        ? new RegExp(`^/${escape(options.uriPrefix)}(?:${options.versions.map(escape).join('|')})(?=/|$)`)
        : undefined;
    this.vendorAccept = new RegExp(`application/vnd\\.${escape(options.vendor)}[.+]`, 'i');
    const docs = kwikOptions?.docs;
    this.docsPath =
      options.docs && docs !== false ? `/${(docs?.path ?? 'docs').replace(/^\/+|\/+$/g, '')}` : undefined;
  }

  /** The route pattern as version changes name it. */
  private routeOf(request: FastifyRequest): string | undefined {
    const url = request.routeOptions.url;
    if (url === undefined || this.uriRoute === undefined) return url;
    return url.replace(this.uriRoute, '') || '/';
  }

  /** The version of a raw request as Nest's router sees it (the default when refused: the 406 comes first). */
  versionOf(raw: IncomingMessage): string {
    const reading = this.read(raw);
    return 'version' in reading ? reading.version : this.options.defaultVersion;
  }

  /**
   * Hooks go in at bootstrap, after every library's `onModuleInit`: the response hooks then run
   * after the others' (the data library's renderer has turned a shaped list into its page).
   */
  onApplicationBootstrap(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (typeof fastify?.addHook !== 'function') return;
    fastify.addHook('onRequest', (request, reply, done) => this.onRequest(request, reply, done as Done));
    fastify.addHook('preValidation', (request, reply, done) =>
      this.preValidation(request, reply, done as Done),
    );
    fastify.addHook('preSerialization', (request, reply, payload, done) =>
      this.preSerialization(request, reply, payload, done as Done),
    );
    fastify.addHook('onSend', (request, reply, payload, done) =>
      this.onSend(request, reply, payload, done as Done),
    );
  }

  private excluded(url: string): boolean {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (this.exact.has(path)) return true;
    for (const p of this.prefixes) if (path.startsWith(p)) return true;
    return false;
  }

  private onRequest(request: FastifyRequest, reply: FastifyReply, done: Done): void {
    if (this.excluded(request.url)) return done();
    const reading = this.read(request.raw);
    if ('refused' in reading) {
      this.usage.refused();
      this.refuse(request, reply, reading.refused);
      return;
    }
    (request.raw as RawWithReading)[SERVED] = reading.version;
    const store = contextStoreOf(request.raw);
    if (store) store.apiVersion = reading.version;
    this.usage.served(reading.version);
    if (this.options.type === 'query' && request.query && typeof request.query === 'object') {
      // The version is not a parameter of the route (a shaped list or a validated query would refuse it).
      const { [this.options.queryParam]: _version, ...rest } = request.query as Record<string, unknown>;
      (request as { query: unknown }).query = rest;
    }
    // Only a route an older version changes hands out that version's own ETags (`"3.v1"`); the
    // others serve every version one representation with one, untagged, ETag.
    // (Looked up only when the request carries a precondition: the default version is often an older one.)
    const { 'if-match': ifMatch, 'if-none-match': ifNoneMatch } = request.headers;
    if (reading.version !== this.options.latest && (ifMatch !== undefined || ifNoneMatch !== undefined)) {
      const route = this.routeOf(request);
      if (route !== undefined && this.chain.changesFor(reading.version, route).length > 0)
        this.untagPreconditions(request, reading.version);
    }
    if (this.options.responseHeader) reply.header(this.options.responseHeader, reading.version);
    if (this.vary) reply.header('vary', mergeVary(reply.getHeader('vary'), this.vary));
    done();
  }

  private refuse(request: FastifyRequest, reply: FastifyReply, detail: string): void {
    const problem: ProblemDetails = {
      type: `${this.typeBase}${VersioningProblemKind.UnsupportedApiVersion}`,
      title: 'Not Acceptable',
      status: 406,
      detail,
      instance: request.url,
      requestId: request.id,
      supportedVersions: [...this.options.versions],
      ...(this.options.type === 'media-type'
        ? { supportedMediaTypes: this.options.versions.map((v) => this.mediaType(v)) }
        : {}),
    };
    if (this.vary) reply.header('vary', mergeVary(reply.getHeader('vary'), this.vary));
    reply.code(406).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  /** The version of a request that passed `onRequest`, or undefined (excluded, refused, not ours). */
  private versionOfRequest(request: FastifyRequest): string | undefined {
    return (request.raw as RawWithReading)[SERVED];
  }

  /**
   * `If-Match` / `If-None-Match` with an ETag an older version handed out (`"3.v1"`) also name the
   * handler's own tag (`"3"`): the lists match if either does, so the handler's check and a cached
   * copy's (which keeps the version's tag) agree.
   */
  private untagPreconditions(request: FastifyRequest, version: string): void {
    const suffix = `.v${version}"`;
    const ifMatch = request.headers['if-match'];
    if (typeof ifMatch === 'string' && ifMatch.includes(suffix))
      request.headers['if-match'] = `${ifMatch}, ${ifMatch.split(suffix).join('"')}`;
    // A cached copy is revalidated against this version's tags only: an untagged one belongs to
    // the latest version's representation, so it must not turn this version's answer into a 304.
    const ifNoneMatch = request.headers['if-none-match'];
    if (typeof ifNoneMatch === 'string' && ifNoneMatch.trim() !== '*') {
      const ours = (ifNoneMatch.match(/(?:W\/)?"[^"]*"/g) ?? []).filter((tag) => tag.endsWith(suffix));
      if (ours.length === 0) delete request.headers['if-none-match'];
      else
        request.headers['if-none-match'] = [
          ...ours,
          ...ours.map((tag) => tag.slice(0, -suffix.length) + '"'),
        ].join(', ');
    }
  }

  private preValidation(request: FastifyRequest, reply: FastifyReply, done: Done): void {
    const version = this.versionOfRequest(request);
    const route = this.routeOf(request);
    if (version === undefined || version === this.options.latest || route === undefined) return done();
    if (this.chain.changesFor(version, route).length === 0) return done();
    try {
      const query = this.chain.migrateQuery((request.query ?? {}) as Record<string, unknown>, version, route);
      if (query) (request as { query: unknown }).query = query;
      if (request.body !== undefined && request.body !== null && typeof request.body === 'object')
        request.body = this.chain.migrateRequest(request.body, {
          route,
          method: request.method,
          clientVersion: version,
        });
      done();
    } catch (error) {
      if (!(error instanceof VersionFieldError)) return done(error as Error);
      // Refused by the guard, so a client that may not call the route hears that first.
      (request.raw as RawWithReading)[OWN_PROBLEM] = true;
      const store = contextStoreOf(request.raw);
      if (store) {
        store.extras.set(VERSION_FIELD_ERROR_KEY, error);
        return done();
      }
      // No request context (an app not made by createKwikApp): refused here.
      const problem: ProblemDetails = {
        type: `${this.typeBase}validation-error`,
        title: 'Validation failed',
        status: 400,
        detail: `${error.field}: ${error.message}`,
        instance: request.url,
        errors: [{ field: error.field, message: error.message }],
        requestId: request.id,
      };
      reply.code(400).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    }
  }

  private preSerialization(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void {
    const version = this.versionOfRequest(request);
    const route = this.routeOf(request);
    if (version === undefined || version === this.options.latest || route === undefined)
      return done(null, payload);
    if (this.chain.changesFor(version, route).length === 0 || payload === null || typeof payload !== 'object')
      return done(null, payload);
    try {
      // The migration copies only what it changes, never mutating the handler's (maybe shared) objects.
      const migrated = this.chain.migrateResponse(payload, {
        route,
        method: request.method,
        clientVersion: version,
        status: reply.statusCode,
      });
      // A serializer compiled for the latest shape would drop renamed fields; a body the migration
      // left as it is (a list whose selected fields no change touches) keeps the compiled one.
      if (migrated !== payload) reply.serializer(JSON.stringify);
      done(null, migrated);
    } catch (error) {
      done(error as Error);
    }
  }

  private onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void {
    const version = this.versionOfRequest(request);
    if (version === undefined) return done(null, payload);
    const route = this.routeOf(request);
    const older =
      version !== this.options.latest &&
      route !== undefined &&
      this.chain.changesFor(version, route).length > 0;
    const contentType = reply.getHeader('content-type');
    if (
      this.options.type === 'media-type' &&
      typeof contentType === 'string' &&
      contentType.startsWith('application/json') &&
      this.vendorAccept.test(String(request.headers.accept ?? ''))
    )
      reply.header('content-type', this.mediaType(version) + contentType.slice('application/json'.length));
    if (older) {
      // Another representation of the same row: its own ETag (`If-Match` with it is untagged on the way in).
      const etag = reply.getHeader('etag');
      if (typeof etag === 'string' && etag.endsWith('"') && !etag.endsWith(`.v${version}"`))
        reply.header('etag', `${etag.slice(0, -1)}.v${version}"`);
    }
    let link = reply.getHeader('link');
    if (older && typeof link === 'string') link = this.chain.migrateLinkHeader(link, version, route!);
    if (this.options.type === 'query' && typeof link === 'string')
      link = this.withVersionParam(link, request, version);
    const store = contextStoreOf(request.raw);
    const deprecation = this.options.deprecated.get(version) ?? routeDeprecation(store);
    if (deprecation) {
      reply.header('deprecation', deprecation.deprecationHeader);
      if (deprecation.sunsetHeader) reply.header('sunset', deprecation.sunsetHeader);
      const links: string[] = typeof link === 'string' && link !== '' ? [link] : [];
      if (deprecation.link && !(typeof link === 'string' && link.includes('rel="deprecation"')))
        links.push(`<${deprecation.link}>; rel="deprecation"; type="text/html"`);
      const successor = this.successorOf(version);
      const successorUrl = successor === undefined ? undefined : this.successorLink(request, successor);
      if (
        this.options.deprecated.has(version) &&
        successorUrl &&
        !(typeof link === 'string' && link.includes('rel="successor-version"'))
      )
        links.push(`<${successorUrl}>; rel="successor-version"`);
      link = links.join(', ');
    }
    if (typeof link === 'string' && link !== '') reply.header('link', link);
    if (
      older &&
      typeof payload === 'string' &&
      typeof contentType === 'string' &&
      contentType.startsWith('application/problem+json') &&
      !(request.raw as RawWithReading)[OWN_PROBLEM]
    )
      return done(null, this.renameProblemFields(payload, version, route!));
    done(null, payload);
  }

  private renameProblemFields(payload: string, version: string, route: string): string {
    let problem: ProblemDetails;
    try {
      problem = JSON.parse(payload) as ProblemDetails;
    } catch {
      return payload;
    }
    return this.chain.migrateProblem(problem, version, route) ? JSON.stringify(problem) : payload;
  }

  private mediaType(version: string): string {
    return `application/vnd.${this.options.vendor}.v${version}+json`;
  }

  private successorOf(version: string): string | undefined {
    const versions = this.options.versions;
    for (let i = versions.indexOf(version) + 1; i < versions.length; i++)
      if (!this.options.deprecated.has(versions[i]!)) return versions[i];
    return undefined;
  }

  /** Where the successor version of this request lives: its URI (uri type) or its OpenAPI document. */
  private successorLink(request: FastifyRequest, successor: string): string | undefined {
    if (this.options.type === 'uri') {
      const path = request.url.split('?')[0]!;
      // A version-neutral path has no successor of its own.
      if (!this.uriRoute!.test(path)) return undefined;
      return `/${this.options.uriPrefix}${successor}${path.replace(this.uriRoute!, '')}`;
    }
    return this.docsPath === undefined ? undefined : `${this.docsPath}?urls.primaryName=v${successor}`;
  }

  /** With query versions, the links of a page keep the version the client asked for. */
  private withVersionParam(link: string, request: FastifyRequest, version: string): string {
    const reading = (request.raw as RawWithReading)[READING];
    if (!reading || !('requested' in reading) || !reading.requested) return link;
    const param = `${encodeURIComponent(this.options.queryParam)}=${encodeURIComponent(version)}`;
    return link.replace(/<([^>]*)>/g, (all, url: string) =>
      new RegExp(`[?&]${escape(this.options.queryParam)}=`).test(url)
        ? all
        : `<${url}${url.includes('?') ? '&' : '?'}${param}>`,
    );
  }
}

function routeDeprecation(store: ContextStore | undefined): ResolvedDeprecation | undefined {
  return store?.extras.get(ROUTE_DEPRECATION_KEY) as ResolvedDeprecation | undefined;
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Adds `name` to a `Vary` header value unless it is already there. */
export function mergeVary(existing: unknown, name: string): string {
  const current = Array.isArray(existing)
    ? existing.join(', ')
    : typeof existing === 'string'
      ? existing
      : '';
  if (current === '') return name;
  const names = current.split(',').map((s) => s.trim().toLowerCase());
  return names.includes(name.toLowerCase()) || names.includes('*') ? current : `${current}, ${name}`;
}
