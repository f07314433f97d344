import { Query } from 'pg';
import type { DatabaseSessionSettings } from '../database-session-scope.js';
import type { SessionPrefix, SessionPrefixes } from './session-prefix.js';
import { classifyStatements, type StatementKind } from './sql-statements.js';

export type QueryCallback = (error: Error | null, result?: unknown) => void;

/** The part of pg's `Connection` (or PGlite's stand-in) a query writes to. */
export interface PgConnection {
  parse(query: { text: string; name?: string }): void;
  bind(config: { statement?: string; values: readonly unknown[] }): void;
  execute(config: { portal?: string; rows?: number }): void;
  query(text: string): void;
  parsedStatements: Record<string, string | undefined>;
}

/** pg's `Query` as it is at run time: its typings only declare `submit`. */
interface PgQuery {
  text?: string;
  values?: unknown;
  name?: string;
  callback?: QueryCallback;
  requiresPreparation(): boolean;
  hasBeenParsed(connection: PgConnection): unknown;
  submit(connection: PgConnection): Error | null;
  prepare(connection: PgConnection): void;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: PgConnection): void;
  handleError(error: Error, connection: PgConnection): void;
}

const PgQuery = Query as unknown as new (config: unknown, values?: unknown, callback?: unknown) => PgQuery;

/**
 * The session scope of one connection: its transaction state, from the status byte of every
 * ReadyForQuery ('I' idle, 'T' in a transaction block, 'E' in a failed one), and the scope the current
 * transaction block already runs under.
 */
export class SessionState {
  status: 'I' | 'T' | 'E' = 'I';
  /** The scope applied in the current transaction block; `undefined`: the connecting user's settings. */
  applied: DatabaseSessionSettings | undefined;
  private counting: ScopedQuery | undefined;

  constructor(
    readonly prefixes: SessionPrefixes,
    /** pg's pipeline mode sends statements before the previous ReadyForQuery: the state is never known. */
    private readonly pipelined: boolean,
  ) {}

  readyForQuery(status: string | undefined): void {
    // PGlite's node-postgres adapter announces the first ReadyForQuery without a message.
    this.status = status === 'T' || status === 'E' ? status : 'I';
    if (this.status === 'I') this.applied = undefined;
    this.counting = undefined;
  }

  parseComplete(): void {
    this.counting?.countParseComplete();
  }

  /** Counts the ParseCompletes of `query` until the next ReadyForQuery. */
  countParses(query: ScopedQuery): void {
    this.counting = query;
  }

  /** Chooses the prefix of a statement that is being sent, and records the scope it leaves applied. */
  plan(kind: StatementKind, target: DatabaseSessionSettings | undefined): SessionPrefix | undefined {
    if (kind === 'empty') return undefined;
    if (kind === 'control') {
      // ROLLBACK TO SAVEPOINT undoes settings made after the savepoint: apply again after any of them.
      this.applied = undefined;
      return undefined;
    }
    if (this.pipelined) return this.prefixes.transition(undefined, target);
    // A failed transaction refuses everything but ROLLBACK: no prefix, which would fail too.
    if (this.status === 'E') return undefined;
    const prefix = this.prefixes.transition(this.applied, target);
    this.applied = kind === 'mixed' ? undefined : target;
    return prefix;
  }
}

/**
 * A pg `Query` that runs under a session scope. When its transaction does not run under the scope yet,
 * it sends `SELECT set_config(...)` ahead of itself in the same write and the same implicit or explicit
 * transaction: as unnamed Parse/Bind/Execute before its own Parse/Bind/Describe/Execute (extended
 * protocol), or as a first statement in the query string (simple protocol). The prefix's rows and
 * command are swallowed, so the result is exactly the unscoped one.
 */
export class ScopedQuery extends PgQuery {
  /** pg's per-query timeout: `Client.query()` reads it from the object it is given. */
  query_timeout: number | undefined;
  readonly kind: StatementKind;
  private prefix: SessionPrefix | undefined;
  /** True from sending the prefix until its CommandComplete. */
  private inPrefix = false;
  private parsedBefore = false;
  /** Whether this query sends the prefix's Parse (its first use on this connection). */
  private prefixParse = false;
  private connection: PgConnection | undefined;
  private parseCompletes = 0;

  constructor(
    config: unknown,
    values: unknown,
    callback: unknown,
    private readonly state: SessionState,
    readonly target: DatabaseSessionSettings | undefined,
    kind?: StatementKind,
  ) {
    super(config, values, callback);
    // A statement given by name only was prepared before: it is an ordinary statement.
    this.kind = kind ?? (typeof this.text === 'string' ? classifyStatements(this.text) : 'plain');
  }

  override submit(connection: PgConnection): Error | null {
    const before = this.state.applied;
    const prefix = this.state.plan(this.kind, this.target);
    if (prefix === undefined) return super.submit(connection);
    this.prefix = prefix;
    let error: Error | null;
    if (
      this.requiresPreparation() ||
      typeof this.text !== 'string' ||
      (this.values && !Array.isArray(this.values))
    ) {
      // The extended protocol writes the prefix in prepare(); the other cases are pg's validation errors.
      error = super.submit(connection);
    } else {
      this.inPrefix = true;
      connection.query(prefix.sql + this.text);
      error = null;
    }
    // Nothing was sent: the transaction still runs under what it ran under before.
    if (error) this.state.applied = before;
    return error;
  }

  override prepare(connection: PgConnection): void {
    const prefix = this.prefix;
    if (prefix !== undefined) {
      // Used by name only: the prefix's ParseComplete makes pg record the statement's text again, so give
      // it the text pg knows instead of undefined (which would read as "never parsed").
      if (this.name && typeof this.text !== 'string') this.text = connection.parsedStatements[this.name];
      this.parsedBefore = Boolean(this.hasBeenParsed(connection));
      // The prefix is a named statement: PostgreSQL parses and plans it once per connection.
      this.prefixParse = connection.parsedStatements[prefix.name] === undefined;
      if (this.prefixParse) connection.parse({ text: prefix.text, name: prefix.name });
      connection.bind({ statement: prefix.name, values: prefix.values });
      connection.execute({});
      this.inPrefix = true;
      this.connection = connection;
      if ((this.name && !this.parsedBefore) || this.prefixParse) this.state.countParses(this);
    }
    super.prepare(connection);
  }

  override handleRowDescription(message: unknown): void {
    if (!this.inPrefix) super.handleRowDescription(message);
  }

  override handleDataRow(message: unknown): void {
    if (!this.inPrefix) super.handleDataRow(message);
  }

  override handleCommandComplete(message: unknown, connection: PgConnection): void {
    if (this.inPrefix) this.inPrefix = false;
    else super.handleCommandComplete(message, connection);
  }

  override handleError(error: Error, connection: PgConnection): void {
    // pg marks `parsedStatements[name]` on any ParseComplete of the active query, the prefix's too. Unless
    // the statement's own ParseComplete (the second when the prefix was parsed too) arrived, it does not exist on the server: unmark it,
    // or its next use would Bind to a missing statement.
    const ownParse = this.prefixParse ? 2 : 1;
    if (this.prefix !== undefined && this.name && !this.parsedBefore && this.parseCompletes < ownParse) {
      delete connection.parsedStatements[this.name];
    }
    super.handleError(error, connection);
  }

  countParseComplete(): void {
    this.parseCompletes += 1;
    // The first ParseComplete after the prefix's Parse is the prefix's: it now exists on this
    // connection (even if what follows fails), so later statements only bind it.
    if (this.prefixParse && this.parseCompletes === 1 && this.prefix && this.connection)
      this.connection.parsedStatements[this.prefix.name] = this.prefix.text;
  }
}
