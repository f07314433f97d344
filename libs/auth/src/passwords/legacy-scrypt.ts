import { scrypt, timingSafeEqual } from 'node:crypto';

// `$scrypt$ln=14,r=8,p=1$<salt b64url>$<hash b64url>` as written by the demo seed.
const LEGACY_SCRYPT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]{11,128})\$([\w-]{22,128})$/;
// Refuse parameters no legitimate hash uses: a stored hash must not be able to make one check
// allocate gigabytes.
const MAX = { ln: 20, r: 32, p: 16 };

/**
 * Verifies a password against a legacy scrypt PHC string in constant time.
 *
 * @returns whether it matches, or `null` when the string is not a well-formed legacy hash.
 * @example
 * await verifyLegacyScrypt('$scrypt$ln=14,r=8,p=1$…$…', 'password'); // true | false | null
 */
export async function verifyLegacyScrypt(phc: string, password: string): Promise<boolean | null> {
  const match = LEGACY_SCRYPT.exec(phc);
  if (!match) return null;
  const [ln, r, p] = match.slice(1, 4).map(Number);
  if (ln < 1 || ln > MAX.ln || r < 1 || r > MAX.r || p < 1 || p > MAX.p) return null;
  const salt = Buffer.from(match[4], 'base64url');
  const expected = Buffer.from(match[5], 'base64url');
  if (expected.length < 16 || expected.length > 64) return null;
  const N = 2 ** ln;
  const actual = await new Promise<Buffer | null>((resolve) =>
    scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, key) =>
      resolve(error ? null : key),
    ),
  );
  if (actual === null) return null;
  return timingSafeEqual(actual, expected);
}
