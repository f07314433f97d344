import { escapeLiteral } from 'pg';
import type { DatabaseSessionSettings } from '../database-session-scope.js';
import { DatabaseError, DatabaseErrorCode } from '../database.errors.js';

/** The SQL sent ahead of a statement to give its transaction a scope's role and settings. */
export interface SessionPrefix {
  /** Extended protocol: `SELECT set_config('role', $1, true), set_config($2, $3, true), ...`. */
  readonly text: string;
  /**
   * Prepared-statement name of {@link text}, which only depends on the shape (role or not, how
   * many settings): parsed once per connection, then only bound and executed.
   */
  readonly name: string;
  /** Parameters of {@link text}; `null` resets a setting to the session's value. */
  readonly values: readonly (string | null)[];
  /** Simple protocol: the same with literals, followed by `; ` so the statement text can be appended. */
  readonly sql: string;
}

/** `[name, value]`; a `null` value resets the setting. */
type Assignment = readonly [name: string, value: string | null];

interface PreparedScope {
  readonly role: string | undefined;
  readonly assignments: readonly Assignment[];
  /** Lower-cased setting names (PostgreSQL compares them case-insensitively). */
  readonly names: ReadonlySet<string>;
  /** Applies the scope. */
  readonly apply: SessionPrefix;
  /** Puts back what {@link apply} changed: the connecting user's role and settings. */
  readonly reset: SessionPrefix;
}

const ROLE_NAME = /^[a-z_][a-z0-9_$]*$/i;
const SETTING_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/i;
/** PostgreSQL truncates identifiers to NAMEDATALEN - 1 bytes. */
const MAX_ROLE_LENGTH = 63;

const FIX =
  'Return a frozen object such as Object.freeze({ role: "kwik_app", settings: Object.freeze({ "kwik.tenant_id": id }) }) from the DatabaseSessionScope provider, the same one per tenant.';

function invalid(problem: string): DatabaseError {
  return new DatabaseError(DatabaseErrorCode.InvalidSessionSettings, `${problem} ${FIX}`);
}

function literal(value: string | null): string {
  return value === null ? 'NULL' : escapeLiteral(value);
}

/** `role` (string: set, `null`: reset, `undefined`: leave alone) and assignments as one `SELECT`. */
function buildPrefix(role: string | null | undefined, assignments: readonly Assignment[]): SessionPrefix {
  const params: string[] = [];
  const literals: string[] = [];
  const values: (string | null)[] = [];
  if (role !== undefined) {
    values.push(role);
    params.push(`set_config('role', $${values.length}, true)`);
    literals.push(`set_config('role', ${literal(role)}, true)`);
  }
  for (const [name, value] of assignments) {
    values.push(name, value);
    params.push(`set_config($${values.length - 1}, $${values.length}, true)`);
    literals.push(`set_config(${literal(name)}, ${literal(value)}, true)`);
  }
  return Object.freeze({
    text: `SELECT ${params.join(', ')}`,
    name: `kwik_session_${role === undefined ? 's' : 'rs'}${assignments.length}`,
    values: Object.freeze(values),
    sql: `SELECT ${literals.join(', ')}; `,
  });
}

function prepareScope(scope: DatabaseSessionSettings): PreparedScope {
  if (typeof scope !== 'object' || scope === null || typeof scope.settings !== 'object' || !scope.settings)
    throw invalid('The session settings must be an object with a `settings` object.');
  if (!Object.isFrozen(scope) || !Object.isFrozen(scope.settings))
    throw invalid(
      'The session settings object and its `settings` must be frozen: Kwik prepares them once and recognises them by identity, so a later change would be ignored.',
    );
  const { role } = scope;
  if (
    role !== undefined &&
    (typeof role !== 'string' || !ROLE_NAME.test(role) || role.length > MAX_ROLE_LENGTH)
  )
    throw invalid(
      `The session role ${JSON.stringify(role)} is not a plain identifier (letters, digits, _ and $, at most ${MAX_ROLE_LENGTH} characters).`,
    );
  const assignments: Assignment[] = [];
  const names = new Set<string>();
  for (const [name, value] of Object.entries(scope.settings)) {
    if (!SETTING_NAME.test(name))
      throw invalid(
        `The session setting name ${JSON.stringify(name)} is not "name" or "prefix.name" (letters, digits and _).`,
      );
    const key = name.toLowerCase();
    if (key === 'role') throw invalid('Give the role as `role`, not as a setting named "role".');
    if (names.has(key)) throw invalid(`The session setting ${JSON.stringify(name)} is given twice.`);
    if (typeof value !== 'string' || value.includes('\0'))
      throw invalid(`The session setting ${JSON.stringify(name)} must be a string without NUL characters.`);
    names.add(key);
    assignments.push([key, value]);
  }
  if (role === undefined && assignments.length === 0)
    throw invalid(
      'The session settings give neither a role nor a setting; return undefined to run as the connecting user.',
    );
  return {
    role,
    assignments,
    names,
    apply: buildPrefix(role, assignments),
    reset: buildPrefix(
      role === undefined ? undefined : null,
      assignments.map(([name]) => [name, null]),
    ),
  };
}

/**
 * Validates session settings the first time an object is seen and keeps its prefixes, per settings
 * object (a WeakMap: a tenant's settings go when the provider drops them).
 */
export class SessionPrefixes {
  private readonly prepared = new WeakMap<DatabaseSessionSettings, PreparedScope>();

  /** Checks `scope` (once per object); throws `KWIK_DATABASE_INVALID_SESSION_SETTINGS`. */
  validate(scope: DatabaseSessionSettings): void {
    this.prepare(scope);
  }

  /**
   * The SQL that takes a transaction from the settings of `from` to those of `to` (`undefined`: the
   * connecting user's); `undefined` when there is nothing to change.
   */
  transition(
    from: DatabaseSessionSettings | undefined,
    to: DatabaseSessionSettings | undefined,
  ): SessionPrefix | undefined {
    if (from === to) return undefined;
    if (from === undefined) return this.prepare(to!).apply;
    const left = this.prepare(from);
    if (to === undefined) return left.reset;
    const next = this.prepare(to);
    let covered = left.role === undefined || next.role !== undefined;
    for (const name of left.names) covered &&= next.names.has(name);
    if (covered) return next.apply;
    // Switching between scopes that set different names within one transaction: rare, built per use.
    return buildPrefix(next.role ?? (left.role === undefined ? undefined : null), [
      ...next.assignments,
      ...[...left.names].filter((name) => !next.names.has(name)).map((name): Assignment => [name, null]),
    ]);
  }

  private prepare(scope: DatabaseSessionSettings): PreparedScope {
    let prepared = this.prepared.get(scope);
    if (prepared === undefined) {
      prepared = prepareScope(scope);
      this.prepared.set(scope, prepared);
    }
    return prepared;
  }
}
