import { ProblemException } from '@kwik/core';

/** Position of a row in the (createdAt desc, id desc) order. */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

/** Decodes an opaque cursor; a tampered or foreign one is a 400 naming the parameter. */
export function decodeCursor(cursor: string, parameter: 'after' | 'before'): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id === 'string' && UUID.test(id) && !Number.isNaN(date.getTime()))
      return { createdAt: date, id };
  } catch {
    // falls through to the problem below: any decoding failure means the same thing to the client
  }
  throw ProblemException.validation(
    [
      {
        field: parameter,
        message: `${parameter} must be a cursor taken from meta.nextCursor or meta.prevCursor`,
      },
    ],
    `Invalid cursor in "${parameter}"`,
  );
}
