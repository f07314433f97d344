import { VersionChange, mapResources, type ChangeContext } from './version-change.js';
import { applyFieldInstructions, type FieldInstruction } from './field-instructions.js';
import { VersioningError, VersioningErrorCode } from '../versioning.errors.js';

/** Query parameters as Fastify parses them (`filter[body][contains]` stays one key). */
export type QueryParams = Record<string, unknown>;

const FILTER_KEY = /^filter\[([^\]]*)\](.*)$/;

/**
 * A request of an older version names a field that only exists in a later one (`content` in a v1
 * request whose field is `body`): a 400 naming the parameter or field.
 */
export class VersionFieldError extends Error {
  constructor(
    /** The parameter (`fields`, `filter[content]`) or body field (`content`, `create[0].content`). */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'VersionFieldError';
  }
}

/**
 * The ordered version changes of an API and what they do to one request: which changes a request
 * of an older version passes through on a route, its body and shaped-list parameters migrated up,
 * its response body, `Link` header and problem field names migrated down.
 *
 * @example
 * const chain = new VersionChain(['1', '2'], [new ContentReplacesBody()]);
 * chain.migrateResponse({ id: 'p1', content: 'Hi', excerpt: 'Hi' }, { route: '/api/posts/:id', method: 'GET', clientVersion: '1' });
 * // → { id: 'p1', body: 'Hi' }
 */
export class VersionChain {
  private readonly byVersion: readonly (readonly VersionChange[])[];
  /** Per version, per route: what {@link changesFor} found (bounded: routes are patterns, not URLs). */
  private readonly memo = new Map<string, Map<string, readonly VersionChange[]>>();
  private readonly laterMemo = new Map<string, ReadonlyMap<string, string>>();
  private readonly renameMemo = new Map<string, ReadonlyMap<string, string>>();
  private readonly queryNamesMemo = new Map<string, readonly string[]>();

  constructor(
    readonly versions: readonly string[],
    changes: readonly (VersionChange | (new () => VersionChange))[],
  ) {
    const byVersion: VersionChange[][] = versions.map(() => []);
    const seen = new Set<Function>();
    for (const entry of changes) {
      const change = typeof entry === 'function' ? new entry() : entry;
      const name = change.constructor.name;
      if (seen.has(change.constructor))
        throw new VersioningError(
          VersioningErrorCode.InvalidChange,
          `${name} is listed twice in \`changes\`: each change runs once per request, list it once.`,
        );
      seen.add(change.constructor);
      const at = versions.indexOf(change.version);
      if (at < 0)
        throw new VersioningError(
          VersioningErrorCode.InvalidChange,
          `${name} introduces version "${change.version}", which is not one of the declared versions (${versions.join(', ')}): add it to \`versions\` or fix the change's \`version\`.`,
        );
      if (at === 0)
        throw new VersioningError(
          VersioningErrorCode.InvalidChange,
          `${name} introduces version "${change.version}", the oldest declared version: a change describes what differs from the version before it, so it needs a later version.`,
        );
      if (!Array.isArray(change.routes) || change.routes.length === 0)
        throw new VersioningError(
          VersioningErrorCode.InvalidChange,
          `${name} names no \`routes\`: list the route patterns it applies to (e.g. '/api/posts/:id').`,
        );
      byVersion[at]!.push(change);
    }
    this.byVersion = byVersion;
  }

  /** The latest version (what controllers are written for). */
  get latest(): string {
    return this.versions[this.versions.length - 1]!;
  }

  /** Every change, oldest first. */
  get changes(): readonly VersionChange[] {
    return this.byVersion.flat();
  }

  /** The changes a request of `version` on `route` passes through, oldest first (none for the latest). */
  changesFor(version: string, route: string): readonly VersionChange[] {
    let routes = this.memo.get(version);
    if (routes === undefined) this.memo.set(version, (routes = new Map()));
    let found = routes.get(route);
    if (found === undefined) {
      const from = this.versions.indexOf(version);
      found =
        from < 0
          ? []
          : this.byVersion
              .slice(from + 1)
              .flat()
              .filter((c) => matchesRoute(c.routes, route));
      if (routes.size < 10_000) routes.set(route, found);
    }
    return found;
  }

  /** A request body of `context.clientVersion`, migrated up to the latest version (a new body; the given one is not mutated). */
  migrateRequest(body: unknown, context: ChangeContext): unknown {
    const later = this.laterNames(context.clientVersion, context.route);
    if (later.size > 0) {
      const changes = this.changesFor(context.clientVersion, context.route);
      checkBody(body, later, context.clientVersion, [...new Set(changes.flatMap((c) => c.collections))]);
    }
    let current = body;
    for (const change of this.changesFor(context.clientVersion, context.route)) {
      if (change.fields.length)
        current = mapResources(current, change.collections, (r) =>
          applyFieldInstructions(r, change.fields, 'up'),
        );
      if (change.migrateRequest) current = change.migrateRequest(current, context);
    }
    return current;
  }

  /** A response body of the latest version, migrated down to `context.clientVersion` (a new body; the given one is not mutated). */
  migrateResponse(body: unknown, context: ChangeContext): unknown {
    let current = body;
    const changes = this.changesFor(context.clientVersion, context.route);
    for (let i = changes.length - 1; i >= 0; i--) {
      const change = changes[i]!;
      if (change.migrateResponse) current = change.migrateResponse(current, context);
      if (change.fields.length)
        current = mapResources(current, change.collections, (r) =>
          applyFieldInstructions(r, change.fields, 'down'),
        );
    }
    return current;
  }

  /**
   * The shaped-list parameters of an older request renamed up (`fields`, `sort`, `filter[…]`), or
   * undefined when nothing changes. Returns a new object. Throws {@link VersionFieldError} when a
   * parameter names a field of a later version.
   */
  migrateQuery(query: QueryParams, version: string, route: string): QueryParams | undefined {
    // Both the check and the renames look for field names: a query mentioning none has nothing to do.
    if (!mentionsAny(query, this.queryNames(version, route))) return undefined;
    const later = this.laterNames(version, route);
    if (later.size > 0) checkQuery(query, later, version);
    const renames = this.renames(version, route, 'up');
    return renames.size === 0 ? undefined : renameQuery(query, renames);
  }

  /**
   * Field names a request of `version` on `route` cannot use, with why: the later names of renamed
   * fields and the fields added later.
   */
  laterNames(version: string, route: string): ReadonlyMap<string, string> {
    const key = `later\n${version}\n${route}`;
    let found = this.laterMemo.get(key);
    if (found === undefined) {
      const names = new Map<string, string>();
      const down = this.renames(version, route, 'down');
      for (const [later, old] of down) names.set(later, `in version ${version} it is called "${old}"`);
      for (const c of this.changesFor(version, route))
        for (const f of c.fields)
          if (f.kind === 'added' && !names.has(f.name))
            names.set(f.name, `it exists from version ${c.version} on`);
      // A name given back to an old field later (a → b, then c → a) is an old name too.
      for (const old of down.values()) names.delete(old);
      found = names;
      if (this.laterMemo.size < 10_000) this.laterMemo.set(key, found);
    }
    return found;
  }

  /** Each URL of a `Link` header with its shaped-list parameters renamed back down to `version`. */
  migrateLinkHeader(link: string, version: string, route: string): string {
    const renames = this.renames(version, route, 'down');
    if (renames.size === 0) return link;
    let named = false;
    for (const name of renames.keys())
      if (link.includes(name) || link.includes(encodeURIComponent(name))) named = true;
    if (!named) return link;
    return link.replace(/<([^>]*)>/g, (all, url: string) => {
      const q = url.indexOf('?');
      if (q < 0) return all;
      const params = new URLSearchParams(url.slice(q + 1));
      const query: QueryParams = {};
      for (const [k, v] of params) query[k] = k in query ? [...([] as unknown[]).concat(query[k]), v] : v;
      const renamed = new URLSearchParams();
      for (const [k, v] of Object.entries(renameQuery(query, renames)))
        for (const item of Array.isArray(v) ? v : [v]) renamed.append(k, String(item));
      return `<${url.slice(0, q)}?${renamed.toString().replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%2C/g, ',')}>`;
    });
  }

  /** A field name or parameter of a problem (`content`, `filter[content]`) as `version` calls it. */
  fieldNameDown(name: string, version: string, route: string): string {
    const renames = this.renames(version, route, 'down');
    if (renames.size === 0) return name;
    const filter = FILTER_KEY.exec(name);
    if (filter) return `filter[${renamePath(filter[1]!, renames)}]${filter[2]}`;
    // A bulk item's field: `create[1].content`.
    const item = /^(.*\]\.)([^\]]*)$/.exec(name);
    if (item) return item[1]! + renamePath(item[2]!, renames);
    return renamePath(name, renames);
  }

  /**
   * A problem body of the latest version as `version` names things: each `errors[].field`, and the
   * renamed names in its message and in `detail`.
   */
  migrateProblem(problem: { detail?: unknown; errors?: unknown }, version: string, route: string): boolean {
    let changed = false;
    const errors = Array.isArray(problem.errors)
      ? (problem.errors as { field?: unknown; message?: unknown }[])
      : [];
    for (const e of errors) {
      if (!e || typeof e.field !== 'string') continue;
      const field = this.fieldNameDown(e.field, version, route);
      if (field === e.field) continue;
      changed = true;
      e.field = field;
    }
    // Messages and detail name fields the latest version's way ("content" is not sortable;
    // selectable fields: id, content, excerpt): the client's version's names instead.
    const text = this.textDown(version, route);
    if (text) {
      for (const e of errors)
        if (e && typeof e.message === 'string') {
          const message = text(e.message);
          if (message !== e.message) {
            e.message = message;
            changed = true;
          }
        }
      if (typeof problem.detail === 'string') {
        const detail = text(problem.detail);
        if (detail !== problem.detail) {
          problem.detail = detail;
          changed = true;
        }
      }
    }
    return changed;
  }

  /** Rewrites field names in a message for `version`: later names renamed, added fields out of lists. */
  private textDown(version: string, route: string): ((text: string) => string) | undefined {
    const renames = new Map(this.renames(version, route, 'down'));
    // Validation messages name the property alone (`displayName must be a string`).
    for (const [to, from] of Array.from(renames))
      if (to.includes('.')) {
        const [toLeaf, fromLeaf] = [to.split('.').pop()!, from.split('.').pop()!];
        if (!renames.has(toLeaf) && toLeaf !== fromLeaf) renames.set(toLeaf, fromLeaf);
      }
    const addedNames: string[] = [];
    for (const c of this.changesFor(version, route))
      for (const f of c.fields) if (f.kind === 'added') addedNames.push(f.name);
    if (renames.size === 0 && addedNames.length === 0) return undefined;
    const names = [...renames.keys()].sort((a, b) => b.length - a.length).map(escape);
    const word = names.length ? new RegExp(`(?<![\\w.])(${names.join('|')})(?![\\w])`, 'g') : undefined;
    const drop = addedNames.length
      ? new RegExp(
          `(,\\s?(${addedNames.map(escape).join('|')})(?![\\w.])|(?<![\\w.])(${addedNames.map(escape).join('|')}),\\s?)`,
          'g',
        )
      : undefined;
    return (text) => {
      let out = drop ? text.replace(drop, '') : text;
      if (word) out = out.replace(word, (name) => renames.get(name) ?? name);
      return out;
    };
  }

  /**
   * The names a shaped-list query of `version` on `route` must contain for {@link migrateQuery} to
   * refuse or rename anything: the later-only names and the names renamed up.
   */
  private queryNames(version: string, route: string): readonly string[] {
    const key = `${version}\n${route}`;
    let found = this.queryNamesMemo.get(key);
    if (found === undefined) {
      found = [
        ...new Set([...this.laterNames(version, route).keys(), ...this.renames(version, route, 'up').keys()]),
      ];
      if (this.queryNamesMemo.size < 10_000) this.queryNamesMemo.set(key, found);
    }
    return found;
  }

  /** Field renames between `version` and the latest on `route`, composed, in the given direction (memoized). */
  private renames(version: string, route: string, direction: 'up' | 'down'): ReadonlyMap<string, string> {
    const key = `${direction}\n${version}\n${route}`;
    let found = this.renameMemo.get(key);
    if (found === undefined) {
      found = this.composeRenames(version, route, direction);
      if (this.renameMemo.size < 10_000) this.renameMemo.set(key, found);
    }
    return found;
  }

  private composeRenames(version: string, route: string, direction: 'up' | 'down'): Map<string, string> {
    const changes = this.changesFor(version, route);
    const steps: FieldInstruction[] = [];
    for (const c of changes) for (const f of c.fields) if (f.kind === 'renamed') steps.push(f);
    const map = new Map<string, string>();
    if (direction === 'up') {
      for (const step of steps as Extract<FieldInstruction, { kind: 'renamed' }>[])
        compose(map, step.from, step.to);
    } else {
      for (const step of [...steps].reverse() as Extract<FieldInstruction, { kind: 'renamed' }>[])
        compose(map, step.to, step.from);
    }
    return map;
  }
}

/** Adds `from → to` after the renames already in `map` (a → b then b → c gives a → c). */
function compose(map: Map<string, string>, from: string, to: string): void {
  let chained = false;
  for (const [k, v] of map)
    if (v === from) {
      map.set(k, to);
      chained = true;
    }
  if (!chained && !map.has(from)) map.set(from, to);
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function refuse(field: string, name: string, why: string, version: string): never {
  throw new VersionFieldError(field, `"${name}" is not a field of version ${version}: ${why}`);
}

/** Whether a filter key or a `fields` / `sort` value of `query` contains one of `names`. */
function mentionsAny(query: QueryParams, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  const has = (text: string) => {
    for (const name of names) if (text.includes(name)) return true;
    return false;
  };
  for (const key of Object.keys(query)) {
    if (key.startsWith('filter[')) {
      if (has(key)) return true;
    } else if (key === 'fields' || key === 'sort') {
      const value = query[key];
      for (const v of Array.isArray(value) ? value : [value])
        if (typeof v === 'string' && has(v)) return true;
    }
  }
  return false;
}

/** Refuses shaped-list parameters naming fields of later versions. */
function checkQuery(query: QueryParams, later: ReadonlyMap<string, string>, version: string): void {
  const check = (param: string, path: string) => {
    for (const [name, why] of later)
      if (path === name || path.startsWith(`${name}.`)) refuse(param, name, why, version);
  };
  for (const [key, value] of Object.entries(query)) {
    const filter = FILTER_KEY.exec(key);
    if (filter) check(key, filter[1]!);
    else if (key === 'fields' || key === 'sort')
      for (const v of Array.isArray(value) ? value : [value])
        if (typeof v === 'string') for (const item of v.split(',')) check(key, item.trim().replace(/^-/, ''));
  }
}

/** Refuses request bodies carrying fields of later versions (top-level and dotted paths). */
function checkBody(
  body: unknown,
  later: ReadonlyMap<string, string>,
  version: string,
  collections: readonly string[],
): void {
  const visit = (resource: unknown, prefix: string) => {
    if (!isObject(resource)) return;
    for (const [name, why] of later) {
      const parts = name.split('.');
      let level: unknown[] = [resource];
      for (const part of parts.slice(0, -1))
        level = level.flatMap((o) => (isObject(o) ? ([] as unknown[]).concat(o[part] ?? []) : []));
      const key = parts[parts.length - 1]!;
      if (level.some((o) => isObject(o) && key in o)) refuse(`${prefix}${name}`, name, why, version);
    }
  };
  if (Array.isArray(body)) return body.forEach((item, i) => visit(item, `[${i}].`));
  if (!isObject(body)) return;
  let listed = false;
  for (const key of collections)
    if (Array.isArray(body[key])) {
      listed = true;
      (body[key] as unknown[]).forEach((item, i) => visit(item, `${key}[${i}].`));
    }
  if (!listed) visit(body, '');
}

function renamePath(path: string, renames: ReadonlyMap<string, string>): string {
  const direct = renames.get(path);
  if (direct !== undefined) return direct;
  for (const [from, to] of renames) if (path.startsWith(`${from}.`)) return `${to}${path.slice(from.length)}`;
  return path;
}

function renameList(value: unknown, renames: ReadonlyMap<string, string>, signed: boolean): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((item) => {
      const sign = signed && item.startsWith('-') ? '-' : '';
      return sign + renamePath(item.slice(sign.length), renames);
    })
    .join(',');
}

function renameQuery(query: QueryParams, renames: ReadonlyMap<string, string>): QueryParams {
  const out: QueryParams = {};
  for (const [key, value] of Object.entries(query)) {
    const filter = FILTER_KEY.exec(key);
    if (filter) out[`filter[${renamePath(filter[1]!, renames)}]${filter[2]}`] = value;
    else if (key === 'fields')
      out[key] = Array.isArray(value)
        ? value.map((v) => renameList(v, renames, false))
        : renameList(value, renames, false);
    else if (key === 'sort')
      out[key] = Array.isArray(value)
        ? value.map((v) => renameList(v, renames, true))
        : renameList(value, renames, true);
    else out[key] = value;
  }
  return out;
}

/** Whether a route pattern is one of `patterns` (exact, or a prefix before a trailing `*`). */
export function matchesRoute(patterns: readonly string[], route: string): boolean {
  for (const p of patterns) {
    if (p.endsWith('*') ? route.startsWith(p.slice(0, -1)) : p === route) return true;
  }
  return false;
}
