import { ProblemException, ProblemKind } from '@kwik/core';
import { QueryFailedError } from 'typeorm';

/** A database error caused by the client's data, in words a client can act on. */
export interface DbFailure {
  status: 400 | 409;
  message: string;
  /** The column at fault, when PostgreSQL names one. */
  column?: string;
}

interface PgErrorFields {
  code?: string;
  detail?: string;
  column?: string;
  constraint?: string;
}

function keyColumns(detail: string | undefined): string | undefined {
  const match = /^Key \(([^)]+)\)/.exec(detail ?? '');
  return match?.[1]?.replace(/"/g, '');
}

/**
 * Recognises the PostgreSQL errors bad input causes (integrity constraints, values a column cannot
 * hold) and describes them; anything else (a lost connection, a bug) is `undefined` and stays a 500.
 */
export function describeDbFailure(error: unknown): DbFailure | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const pg = ((error as { driverError?: PgErrorFields }).driverError ?? error) as PgErrorFields;
  const code = pg.code ?? '';
  const columns = keyColumns(pg.detail);
  const column = pg.column ?? (columns && !columns.includes(',') ? columns : undefined);
  switch (code) {
    case '23505':
      return {
        status: 409,
        column,
        message: `conflicts with an existing row: ${columns ?? 'a unique value'} must be unique`,
      };
    case '23P01':
      return { status: 409, column, message: 'conflicts with an existing row' };
    case '23503':
      return /still referenced/.test(pg.detail ?? '')
        ? { status: 409, message: 'is still referenced by other rows' }
        : {
            status: 400,
            column,
            message: `refers to a row that does not exist (${columns ?? 'foreign key'})`,
          };
    case '23502':
      return { status: 400, column, message: `${column ?? 'a required column'} must not be null` };
    case '23514':
      return { status: 400, column, message: `breaks the rule ${pg.constraint ?? 'of a check constraint'}` };
    case '40001':
    case '40P01':
      return { status: 409, message: 'was changed by a concurrent request; retry' };
    default:
      return code.startsWith('22')
        ? { status: 400, column, message: 'holds a value the column cannot store' }
        : undefined;
  }
}

/** A write the database refused because of the client's data; rendered as 409 `conflict` or 400 `validation-error`. */
export class DbFailureProblem extends ProblemException {
  constructor(
    readonly failure: DbFailure,
    name: string,
  ) {
    super(
      failure.status === 409
        ? {
            status: 409,
            kind: ProblemKind.Conflict,
            title: 'Conflict',
            detail: `The ${name} ${failure.message}.`,
          }
        : {
            status: 400,
            kind: ProblemKind.Validation,
            title: 'Validation failed',
            detail: `The database refused the ${name}: ${failure.message}.`,
            errors: [{ field: failure.column ?? 'body', message: failure.message }],
          },
    );
  }
}
