import { Inject, Injectable, VERSION_NEUTRAL } from '@nestjs/common';
import { PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OpenApiVariants } from '@kwik/core';
import { VersionChain, matchesRoute } from '../changes/version-chain.js';
import type { ResolvedVersioningOptions } from '../resolve-options.js';
import { DEPRECATED_METADATA, VERSIONING_RESOLVED_OPTIONS } from '../versioning.constants.js';
import { migrateSchemaDown, resolverFor, resourceSchemas, type SchemaNode } from './derive-schema.js';

const EXCLUDE_ENDPOINT = 'swagger/apiExcludeEndpoint';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * One OpenAPI document per API version (`/docs/v<version>/json`, in the UI's picker): routes
 * declared for other versions (`@Version()`) are left out, and for older versions every later
 * version change is applied to the schemas and shaped-list parameters of its routes, so each
 * document describes exactly what that version's clients send and receive.
 */
@Injectable()
export class VersionDocuments {
  constructor(
    @Inject(VERSIONING_RESOLVED_OPTIONS) private readonly options: ResolvedVersioningOptions,
    private readonly chain: VersionChain,
    private readonly discovery: DiscoveryService,
    variants: OpenApiVariants,
  ) {
    if (!options.docs) return;
    for (const version of options.versions)
      variants.register({
        name: `v${version}`,
        prepare: () => this.hideOtherVersions(version),
        transform: (document) => this.derive(document, version),
      });
    variants.primary = `v${options.latest}`;
  }

  /** Excludes from the scan every handler declared (`@Version()`) for other versions only; returns the undo. */
  private hideOtherVersions(version: string): () => void {
    if (this.options.type === 'uri') return () => undefined; // Nest puts each version under its own paths
    const hidden: { method: Function; previous: unknown }[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Function | null;
      if (!controller?.prototype) continue;
      const classVersion = Reflect.getMetadata(VERSION_METADATA, controller);
      const seen = new Set<string>();
      // Inherited handlers too (a CRUD base class's routes); the nearest definition wins.
      for (
        let proto = controller.prototype;
        proto && proto !== Object.prototype;
        proto = Object.getPrototypeOf(proto)
      )
        for (const name of Object.getOwnPropertyNames(proto)) {
          if (seen.has(name)) continue;
          seen.add(name);
          const method = Object.getOwnPropertyDescriptor(proto, name)?.value;
          if (typeof method !== 'function' || Reflect.getMetadata(PATH_METADATA, method) === undefined)
            continue;
          const declared = Reflect.getMetadata(VERSION_METADATA, method) ?? classVersion;
          if (servesVersion(declared, version)) continue;
          hidden.push({ method, previous: Reflect.getMetadata(EXCLUDE_ENDPOINT, method) });
          Reflect.defineMetadata(EXCLUDE_ENDPOINT, { disable: true }, method);
        }
    }
    return () => {
      for (const { method, previous } of hidden) {
        if (previous === undefined) Reflect.deleteMetadata(EXCLUDE_ENDPOINT, method);
        else Reflect.defineMetadata(EXCLUDE_ENDPOINT, previous, method);
      }
    };
  }

  /** The latest document turned into `version`'s. */
  derive(document: OpenAPIObject, version: string): OpenAPIObject {
    const doc = document as Omit<OpenAPIObject, 'paths'> & { paths: Record<string, Record<string, any>> };
    if (this.options.type === 'uri') this.keepVersionPaths(doc, version);
    const resolve = resolverFor(doc);
    const later = this.options.versions.slice(this.options.versions.indexOf(version) + 1);
    const notes: string[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      const route = this.routeOf(path);
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const changes = this.chain.changesFor(version, route);
        for (let i = changes.length - 1; i >= 0; i--) {
          const change = changes[i]!;
          const note = `Removed in version ${change.version}.`;
          const bodies: SchemaNode[] = [];
          for (const media of Object.values(operation.requestBody?.content ?? {}) as {
            schema?: SchemaNode;
          }[])
            if (media.schema) bodies.push(media.schema);
          for (const response of Object.values(operation.responses ?? {}) as {
            content?: Record<string, { schema?: SchemaNode }>;
          }[])
            for (const media of Object.values(response.content ?? {}))
              if (media.schema) bodies.push(media.schema);
          for (const body of bodies)
            for (const resource of resourceSchemas(body, change.collections, resolve))
              migrateSchemaDown(resource, change.fields, resolve, note);
          if (Array.isArray(operation.parameters))
            operation.parameters = this.renameParameters(operation.parameters, change.fields);
          const line = `Version ${change.version}: ${change.description}`;
          operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
        }
        if (this.options.deprecated.has(version) && !this.excluded(path)) operation.deprecated = true;
        if (this.routeDeprecated(operation.operationId)) operation.deprecated = true;
      }
    }
    for (const change of this.chain.changes)
      if (later.includes(change.version)) notes.push(`- **${change.version}**: ${change.description}`);
    const deprecation = this.options.deprecated.get(version);
    doc.info = {
      ...doc.info,
      title: `${doc.info?.title ?? 'API'} — version ${version}`,
      version,
      description: [
        doc.info?.description,
        this.requestHint(version),
        deprecation
          ? `**Deprecated.**${deprecation.sunset ? ` Sunset: ${deprecation.sunset}.` : ''}${deprecation.link ? ` Migration guide: ${deprecation.link}` : ''}`
          : '',
        notes.length ? `Changes in later versions:\n\n${notes.join('\n')}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    };
    return doc as OpenAPIObject;
  }

  /** Paths served without negotiation (`excludePaths`): not part of any version. */
  private excluded(path: string): boolean {
    return this.options.excludePaths.some((p) =>
      p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : p === path,
    );
  }

  private requestHint(version: string): string {
    const o = this.options;
    switch (o.type) {
      case 'header':
        return `Send \`${o.header}: ${version}\` to use this version.`;
      case 'query':
        return `Add \`?${o.queryParam}=${version}\` to use this version.`;
      case 'uri':
        return `Paths of this version start with \`/${o.uriPrefix}${version}\`.`;
      default:
        return `Send \`Accept: application/vnd.${o.vendor}.v${version}+json\` to use this version.`;
    }
  }

  /** With URI versions: only this version's paths (and version-neutral ones) stay. */
  private keepVersionPaths(doc: { paths: Record<string, unknown> }, version: string): void {
    const prefix = new RegExp(
      `^/${this.options.uriPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^/]+)(/|$)`,
    );
    for (const path of Object.keys(doc.paths ?? {})) {
      const m = prefix.exec(path);
      if (m && this.options.versions.includes(m[1]!) && m[1] !== version) delete doc.paths[path];
    }
  }

  /** `/api/posts/{id}` → `/api/posts/:id` (and without the URI version prefix): the route as changes name it. */
  private routeOf(path: string): string {
    let route = path.replace(/\{([^}]+)\}/g, ':$1');
    if (this.options.type === 'uri') {
      const prefix = new RegExp(
        `^/${escape(this.options.uriPrefix)}(?:${this.options.versions.map(escape).join('|')})(?=/|$)`,
      );
      route = route.replace(prefix, '') || '/';
    }
    return route;
  }

  /** The shaped-list parameters as the older version has them: renamed fields' names, added fields gone. */
  private renameParameters(
    parameters: SchemaNode[],
    fields: readonly import('../changes/field-instructions.js').FieldInstruction[],
  ): SchemaNode[] {
    for (const ins of fields) {
      if (ins.kind === 'added') {
        parameters = parameters.filter(
          (p) => typeof p.name !== 'string' || !p.name.startsWith(`filter[${ins.name}]`),
        );
        // An alternative of a pattern (`(title|excerpt)`), with `\.` for dots; enum values too.
        const inPattern = ins.name.replace(/\./g, '\\\\\\.');
        const alternative = new RegExp(`(?<=[(|])${inPattern}\\||\\|${inPattern}(?=[|)])`, 'g');
        for (const p of parameters)
          for (const schema of [p.schema, p.schema?.items])
            if (schema && Array.isArray(schema.enum))
              schema.enum = schema.enum.filter((v: unknown) => v !== ins.name && v !== `-${ins.name}`);
        for (const p of parameters)
          if (typeof p.schema?.pattern === 'string')
            p.schema.pattern = p.schema.pattern.replace(alternative, '');
        // Older versions do not have the field: it leaves the comma lists of the descriptions.
        const name = ins.name.replace(/\./g, '\\.');
        for (const p of parameters)
          if (typeof p.description === 'string')
            p.description = p.description.replace(new RegExp(`(,\\s?${name}\\b|\\b${name},\\s?)`, 'g'), '');
      }
      if (ins.kind !== 'renamed') continue;
      for (const p of parameters) {
        if (typeof p.name === 'string') {
          const m = /^filter\[([^\]]*)\](.*)$/.exec(p.name);
          if (m && m[1] === ins.to) p.name = `filter[${ins.from}]${m[2]}`;
        }
        for (const schema of [p.schema, p.schema?.items])
          if (schema && Array.isArray(schema.enum))
            schema.enum = schema.enum.flatMap((v: unknown) =>
              v === ins.to ? [ins.from] : v === `-${ins.to}` ? [`-${ins.from}`] : [v],
            );
        const word = new RegExp(`(?<![\\w.])${ins.to.replace(/\./g, '\\.')}(?![\\w])`, 'g');
        if (typeof p.description === 'string') p.description = p.description.replace(word, ins.from);
        // In a pattern, a dotted name is written with `\.`.
        const escaped = new RegExp(`(?<![\\w.])${ins.to.replace(/\./g, '\\\\\\.')}(?![\\w])`, 'g');
        if (typeof p.schema?.pattern === 'string')
          p.schema.pattern = p.schema.pattern.replace(escaped, ins.from.replace(/\./g, '\\.'));
      }
    }
    return parameters;
  }

  private routeDeprecated(operationId: unknown): boolean {
    if (typeof operationId !== 'string') return false;
    const [controllerName, methodName] = operationId.split('_');
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Function | null;
      if (!controller || controller.name !== controllerName) continue;
      const method = controller.prototype?.[methodName!];
      return Boolean(
        Reflect.getMetadata(DEPRECATED_METADATA, controller) ??
        (typeof method === 'function' ? Reflect.getMetadata(DEPRECATED_METADATA, method) : undefined),
      );
    }
    return false;
  }
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a `@Version()` declaration (or none) serves `version`. */
export function servesVersion(declared: unknown, version: string): boolean {
  if (declared === undefined || declared === VERSION_NEUTRAL) return true;
  if (Array.isArray(declared)) return declared.includes(VERSION_NEUTRAL) || declared.includes(version);
  return declared === version;
}

export { matchesRoute };
