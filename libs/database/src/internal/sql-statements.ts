/**
 * What a statement text means for the session scope:
 * - `plain`: statements that run under the scope (they get the `set_config` prefix);
 * - `control`: only transaction control (`BEGIN`, `COMMIT`, `SAVEPOINT`, `SET TRANSACTION`, ...), never prefixed;
 * - `mixed`: several statements, some of them transaction control — those after a `COMMIT` would run in a
 *   new transaction without the scope, so a scoped caller is refused;
 * - `empty`: no statement at all (whitespace, comments).
 */
export type StatementKind = 'plain' | 'control' | 'mixed' | 'empty';

const SPACE = 32;
const SEMICOLON = 59;
const SLASH = 47;
const STAR = 42;
const DASH = 45;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const DOLLAR = 36;
const BACKSLASH = 92;

function isSpace(code: number): boolean {
  return code === SPACE || (code >= 9 && code <= 13);
}

function isIdentifierStart(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 97 && lower <= 122) || code === 95 || code >= 128;
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57) || code === DOLLAR;
}

/** Index of the first character at or after `from` that is neither whitespace nor inside a comment. */
function skipTrivia(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) i += 1;
    else if (code === DASH && text.charCodeAt(i + 1) === DASH) i = lineEnd(text, i);
    else if (code === SLASH && text.charCodeAt(i + 1) === STAR) i = blockCommentEnd(text, i);
    else break;
  }
  return i;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end + 1;
}

/** Block comments nest in PostgreSQL. */
function blockCommentEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === SLASH && text.charCodeAt(i + 1) === STAR) {
      depth += 1;
      i += 2;
    } else if (code === STAR && text.charCodeAt(i + 1) === SLASH) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else i += 1;
  }
  return text.length;
}

/** True when the word at `at` is `word` (lower case), case-insensitively and as a whole word. */
function wordAt(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let k = 0; k < word.length; k += 1) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  const next = text.charCodeAt(at + word.length);
  return Number.isNaN(next) || !isIdentifierPart(next);
}

/** Whether the statement starting at `at` (trivia already skipped) is transaction control. */
function isTransactionControl(text: string, at: number): boolean {
  switch (text.charCodeAt(at) | 0x20) {
    case 97: // a
      return wordAt(text, at, 'abort');
    case 98: // b
      return wordAt(text, at, 'begin');
    case 99: // c
      return wordAt(text, at, 'commit');
    case 101: // e
      return wordAt(text, at, 'end');
    case 112: // p: PREPARE TRANSACTION, not PREPARE name AS ...
      return wordAt(text, at, 'prepare') && wordAt(text, skipTrivia(text, at + 7), 'transaction');
    case 114: // r
      return wordAt(text, at, 'rollback') || wordAt(text, at, 'release');
    case 115: // s: SAVEPOINT, START TRANSACTION, SET TRANSACTION (must precede every query of its transaction)
      return (
        wordAt(text, at, 'savepoint') ||
        wordAt(text, at, 'start') ||
        (wordAt(text, at, 'set') && wordAt(text, skipTrivia(text, at + 3), 'transaction'))
      );
    default:
      return false;
  }
}

/** End of the quoted token opening at `from` (`'...'`, `"..."`), with `''` / `""` doubling and optional backslash escapes. */
function quotedEnd(text: string, from: number, quote: number, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (backslashEscapes && code === BACKSLASH) i += 2;
    else if (code === quote) {
      if (text.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else i += 1;
  }
  return text.length;
}

/** End of a dollar-quoted string opening at `from`, or `-1` when the `$` there does not open one (`$1`). */
function dollarQuotedEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length && text.charCodeAt(i) !== DOLLAR) {
    if (!isIdentifierPart(text.charCodeAt(i)) || (i === from + 1 && !isIdentifierStart(text.charCodeAt(i))))
      return -1;
    i += 1;
  }
  if (i >= text.length) return -1;
  const tag = text.slice(from, i + 1);
  const close = text.indexOf(tag, i + 1);
  return close < 0 ? text.length : close + tag.length;
}

/** Index just past the `;` ending the statement that starts at `from`, or `text.length`. */
function statementEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const previous = i > 0 ? text.charCodeAt(i - 1) : SPACE;
    if (code === SEMICOLON) return i + 1;
    if (code === QUOTE) {
      // E'...' strings take backslash escapes; a standard '...' string does not.
      const escaped = (previous | 0x20) === 101 && (i < 2 || !isIdentifierPart(text.charCodeAt(i - 2)));
      i = quotedEnd(text, i, QUOTE, escaped);
    } else if (code === DOUBLE_QUOTE) i = quotedEnd(text, i, DOUBLE_QUOTE, false);
    else if (code === DASH && text.charCodeAt(i + 1) === DASH) i = lineEnd(text, i);
    else if (code === SLASH && text.charCodeAt(i + 1) === STAR) i = blockCommentEnd(text, i);
    else if (code === DOLLAR && !isIdentifierPart(previous)) {
      const end = dollarQuotedEnd(text, i);
      i = end < 0 ? i + 1 : end;
    } else i += 1;
  }
  return text.length;
}

/**
 * Classifies a statement text (one statement, or several separated by `;` in a simple-protocol query).
 * Only texts containing `;` are tokenized; for the usual single statement it reads the first keyword.
 * The lexer only has to agree with PostgreSQL on valid SQL: the server parses a whole simple-protocol
 * string before running any of it, so a malformed text runs nothing at all.
 */
export function classifyStatements(text: string): StatementKind {
  const start = skipTrivia(text, 0);
  if (start >= text.length) return 'empty';
  if (text.indexOf(';', start) < 0) return isTransactionControl(text, start) ? 'control' : 'plain';
  let control = false;
  let plain = false;
  for (let at = start; at < text.length; at = skipTrivia(text, statementEnd(text, at))) {
    if (text.charCodeAt(at) === SEMICOLON) continue;
    if (isTransactionControl(text, at)) control = true;
    else plain = true;
  }
  if (control && plain) return 'mixed';
  if (control) return 'control';
  return plain ? 'plain' : 'empty';
}
