import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  contextStoreOf,
  DEFAULT_PROBLEM_TYPE_BASE,
  KWIK_MODULE_OPTIONS,
  PROBLEM_CONTENT_TYPE,
  ProblemKind,
  type ContextStore,
  type KwikModuleOptions,
  type ProblemDetails,
} from '@kwik/core';
import { VersionChain } from '../changes/version-chain.js';
import { VersionUsage } from '../deprecation/version-usage.js';
import { versionReader, type VersionReading } from '../negotiation/version-reader.js';
import type { ResolvedDeprecation, ResolvedVersioningOptions } from '../resolve-options.js';
import { VERSIONING_RESOLVED_OPTIONS } from '../versioning.constants.js';

type Done = (error?: Error | null, payload?: unknown) => void;

/** The context-store key of a route-level deprecation (set by `DeprecationGuard`). */
export const ROUTE_DEPRECATION_KEY = 'kwik:versioning:route-deprecation';
const READING = Symbol('kwik:versioning:reading');
type RawWithReading = IncomingMessage & { [READING]?: VersionReading };

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
    this.vary = options.type === 'media-type' ? 'accept' : options.type === 'header' ? options.header : undefined;
    this.uriRoute =
      options.type === 'uri'
        ? new RegExp(`^/${options.uriPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^/]+(?=/|$)`)
        : undefined;
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
    fastify.addHook('preValidation', (request, _reply, done) => this.preValidation(request, done as Done));
    fastify.addHook('preSerialization', (request, reply, payload, done) =>
      this.preSerialization(request, reply, payload, done as Done),
    );
    fastify.addHook('onSend', (request, reply, payload, done) => this.onSend(request, reply, payload, done as Done));
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
    const store = contextStoreOf(request.raw);
    if (store) store.apiVersion = reading.version;
    this.usage.served(reading.version);
    if (this.options.responseHeader) reply.header(this.options.responseHeader, reading.version);
    if (this.vary) reply.header('vary', mergeVary(reply.getHeader('vary'), this.vary));
    done();
  }

  private refuse(request: FastifyRequest, reply: FastifyReply, detail: string): void {
    const problem: ProblemDetails = {
      type: `${this.typeBase}unsupported-api-version`,
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
    const reading = (request.raw as RawWithReading)[READING];
    return reading !== undefined && 'version' in reading ? reading.version : undefined;
  }

  private preValidation(request: FastifyRequest, done: Done): void {
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
      done(error as Error);
    }
  }

  private preSerialization(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void {
    const version = this.versionOfRequest(request);
    const route = this.routeOf(request);
    if (version === undefined || version === this.options.latest || route === undefined) return done(null, payload);
    if (this.chain.changesFor(version, route).length === 0 || payload === null || typeof payload !== 'object')
      return done(null, payload);
    try {
      // A copy: the handler's object may be shared (a method cache, a constant); Dates become ISO strings as in JSON.
      const copy: unknown = JSON.parse(JSON.stringify(payload));
      const migrated = this.chain.migrateResponse(copy, {
        route,
        method: request.method,
        clientVersion: version,
        status: reply.statusCode,
      });
      // A serializer compiled for the latest shape would drop renamed fields.
      reply.serializer(JSON.stringify);
      done(null, migrated);
    } catch (error) {
      done(error as Error);
    }
  }

  private onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void {
    const version = this.versionOfRequest(request);
    if (version === undefined) return done(null, payload);
    const route = this.routeOf(request);
    const older = version !== this.options.latest && route !== undefined && this.chain.changesFor(version, route).length > 0;
    const contentType = reply.getHeader('content-type');
    if (this.options.type === 'media-type' && typeof contentType === 'string' && contentType.startsWith('application/json')) {
      const reading = (request.raw as RawWithReading)[READING];
      if (reading && 'requested' in reading && reading.requested)
        reply.header('content-type', this.mediaType(version) + contentType.slice('application/json'.length));
    }
    let link = reply.getHeader('link');
    if (older && typeof link === 'string') link = this.chain.migrateLinkHeader(link, version, route!);
    const store = contextStoreOf(request.raw);
    const deprecation = this.options.deprecated.get(version) ?? routeDeprecation(store);
    if (deprecation) {
      reply.header('deprecation', deprecation.deprecationHeader);
      if (deprecation.sunsetHeader) reply.header('sunset', deprecation.sunsetHeader);
      const links: string[] = typeof link === 'string' && link !== '' ? [link] : [];
      if (deprecation.link && !(typeof link === 'string' && link.includes('rel="deprecation"')))
        links.push(`<${deprecation.link}>; rel="deprecation"; type="text/html"`);
      const successor = this.successorOf(version);
      if (this.options.deprecated.has(version) && successor && !(typeof link === 'string' && link.includes('rel="successor-version"')))
        links.push(`<${this.successorLink(request, successor)}>; rel="successor-version"`);
      link = links.join(', ');
    }
    if (typeof link === 'string' && link !== '') reply.header('link', link);
    if (older && typeof payload === 'string' && typeof contentType === 'string' && contentType.startsWith('application/problem+json'))
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
  private successorLink(request: FastifyRequest, successor: string): string {
    if (this.options.type === 'uri') {
      const prefix = `/${this.options.uriPrefix}`;
      const path = request.url.split('?')[0]!;
      const rest = path.replace(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^/]+`), '');
      return `${prefix}${successor}${rest}`;
    }
    return `/docs/v${successor}`;
  }
}

function routeDeprecation(store: ContextStore | undefined): ResolvedDeprecation | undefined {
  return store?.extras.get(ROUTE_DEPRECATION_KEY) as ResolvedDeprecation | undefined;
}

/** Adds `name` to a `Vary` header value unless it is already there. */
export function mergeVary(existing: unknown, name: string): string {
  const current = Array.isArray(existing) ? existing.join(', ') : typeof existing === 'string' ? existing : '';
  if (current === '') return name;
  const names = current.split(',').map((s) => s.trim().toLowerCase());
  return names.includes(name.toLowerCase()) || names.includes('*') ? current : `${current}, ${name}`;
}
