import { DatabaseError, DatabaseErrorCode } from '../database.errors.js';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P03',
]);
const AUTH_CODES = new Set(['28P01', '28000']);

/** Whether an error means the server could not be reached (worth retrying), unlike bad SQL or a failing migration. */
export function isUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === DatabaseErrorCode.Unreachable) return true;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated/i.test(message)
  );
}

interface Target {
  host: string;
  database: string;
  user: string;
}

function targetOf(url: string): Target {
  const parsed = new URL(url);
  return {
    host: `${parsed.hostname}:${parsed.port || 5432}`,
    database: decodeURIComponent(parsed.pathname.slice(1)) || 'postgres',
    user: decodeURIComponent(parsed.username) || 'postgres',
  };
}

/**
 * Turns the driver's error from a first connection to a PostgreSQL server into a DatabaseError
 * saying what to fix (server down, database missing, credentials refused); any other error, and
 * every error of the embedded engine, is returned unchanged. The URL's password never appears.
 */
export function describeConnectFailure(error: unknown, url: string | undefined): unknown {
  if (url === undefined || error instanceof DatabaseError || !URL.canParse(url)) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const reason = typeof message === 'string' ? message : String(error);
  const target = targetOf(url);
  if (code === '3D000') {
    return new DatabaseError(
      DatabaseErrorCode.DatabaseNotFound,
      `Database "${target.database}" does not exist on the PostgreSQL server at ${target.host}. Create it (\`createdb -h ${target.host.replace(/:\d+$/, '')} -U ${target.user} ${target.database}\`) or point DATABASE_URL at an existing database.`,
      { cause: error },
    );
  }
  if (typeof code === 'string' && AUTH_CODES.has(code)) {
    return new DatabaseError(
      DatabaseErrorCode.AuthFailed,
      `The PostgreSQL server at ${target.host} refused user "${target.user}" for database "${target.database}" (${reason}). Fix the user and password in DATABASE_URL.`,
      { cause: error },
    );
  }
  if (isUnreachable(error)) {
    return new DatabaseError(
      DatabaseErrorCode.Unreachable,
      `Cannot reach the PostgreSQL server at ${target.host} (${typeof code === 'string' ? code : reason}). Start it (\`docker compose up -d\` starts one on 5432), fix the host and port in DATABASE_URL, or unset DATABASE_URL to use the embedded database.`,
      { cause: error },
    );
  }
  return error;
}
