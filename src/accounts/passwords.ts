import type { Algorithm } from '@node-rs/argon2';
import { hash, verify } from '@node-rs/argon2';
import { FieldProblem, msg } from '../common/errors/app-error';

/** Argon2id (RFC 9106); the library's defaults: 19 MiB memory, 2 passes, as OWASP recommends. */
const ARGON2ID = 2 as Algorithm;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when an email is unknown so both paths take as long. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoyHash;
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** Passwords people pick first; refused whatever their length. */
const COMMON_PASSWORDS = new Set([
  '1234567890', '12345678910', '0123456789', '1111111111', '0000000000', '9876543210', 'qwertyuiop', 'asdfghjkl;',
  'password123', 'password1234', 'passw0rd123', 'p@ssw0rd123', 'iloveyou123', 'bangkok1234', 'bangkok2024', 'bangkok2025',
  'bangkok2026', 'thailand123', 'thailand1234', 'welcome123', 'qwerty12345', 'abcdefghij', 'abc1234567', 'letmein123',
  'administrator', 'changeme123', '1q2w3e4r5t', 'q1w2e3r4t5', 'zaq12wsxcde', 'sawasdee123', 'football123', 'superman123',
]);

/** Problems with a new password, as field problems for BAD_USER_INPUT (empty when it is acceptable). */
export function passwordProblems(password: string, context: { email?: string; displayName?: string }, field = 'input.password'): FieldProblem[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return [{ field, message: msg('errors.passwords.tooShort', { min: PASSWORD_MIN_LENGTH }) }];
  if (length > PASSWORD_MAX_LENGTH) return [{ field, message: msg('errors.passwords.tooLong', { max: PASSWORD_MAX_LENGTH }) }];
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return [{ field, message: msg('errors.passwords.common') }];
  if (new Set(password).size < 5) return [{ field, message: msg('errors.passwords.tooFewCharacters') }];
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) return [{ field, message: msg('errors.passwords.containsEmail') }];
  const name = context.displayName?.toLowerCase().replace(/\s+/g, '');
  if (name && name.length >= 4 && lower.replace(/\s+/g, '').includes(name)) return [{ field, message: msg('errors.passwords.containsName') }];
  return [];
}
