import { englishOf } from '../../src/common/errors/app-error';
import { hashPassword, passwordProblems, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from '../../src/accounts/passwords';

const GOOD = 'correct horse battery staple';
const context = { email: 'somchai.j@example.org', displayName: 'Somchai Jaidee' };

function problem(password: string, ctx: { email?: string; displayName?: string } = context): string | undefined {
  const problems = passwordProblems(password, ctx);
  expect(problems.length).toBeLessThanOrEqual(1);
  if (problems.length) expect(problems[0].field).toBe('input.password');
  return problems[0] && englishOf(problems[0].message);
}

describe('passwordProblems', () => {
  it('accepts a good passphrase', () => {
    expect(passwordProblems(GOOD, context)).toEqual([]);
    expect(passwordProblems('ข้าวมันไก่อร่อยมาก', context)).toEqual([]);
  });

  it('refuses one that is too short, counting characters rather than bytes', () => {
    expect(problem('a'.repeat(0))).toMatch(/too short/);
    expect(problem('Tr0ub4dor')).toMatch(/too short/); // 9
    expect(problem('Tr0ub4dor&')).toBeUndefined(); // 10
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    // Nine emoji are 18 UTF-16 units but nine characters.
    expect(problem('🐘🌶🍚🛺🏯🌧🐟🥭🍜')).toMatch(/too short/);
  });

  it('refuses one that is too long', () => {
    const long = Array.from({ length: PASSWORD_MAX_LENGTH + 1 }, (_, i) => 'abcdefghij'[i % 10]).join('');
    expect(problem(long)).toMatch(/too long/);
    expect(problem(long.slice(0, PASSWORD_MAX_LENGTH))).toBeUndefined();
  });

  it('refuses a common one, whatever its case', () => {
    expect(problem('password123')).toMatch(/common/);
    expect(problem('Bangkok2025')).toMatch(/common/);
    expect(problem('QWERTYUIOP')).toMatch(/common/);
  });

  it('refuses one of too few different characters', () => {
    expect(problem('aaaaaaaaaaaa')).toMatch(/too few different/);
    expect(problem('abababababab')).toMatch(/too few different/);
    expect(problem('abcdabcdabcd')).toMatch(/too few different/);
    expect(problem('abcdeabcdeab')).toBeUndefined();
  });

  it('refuses one containing the email address local part', () => {
    expect(problem('my SOMCHAI.J password!')).toMatch(/email/);
    // Too short a local part to be telling is allowed.
    expect(problem('the sun over Chao Phraya', { email: 'sun@example.org' })).toBeUndefined();
  });

  it('refuses one containing the display name, spaces or not', () => {
    expect(problem('I am somchaijaidee!!', { displayName: 'Somchai Jaidee' })).toMatch(/name/);
    expect(problem('I am Somchai Jaidee!!', { displayName: 'Somchai Jaidee' })).toMatch(/name/);
    expect(problem('the mango sticky rice', { displayName: 'Nok' })).toBeUndefined();
  });

  it('names the field it is given', () => {
    const problems = passwordProblems('short', {}, 'input.newPassword');
    expect(problems.map((p) => p.field)).toEqual(['input.newPassword']);
    expect(englishOf(problems[0].message)).toMatch(/too short/);
  });
});

describe('password hashing', () => {
  it('hashes with argon2id, salted, and verifies only the right password', async () => {
    const hash = await hashPassword(GOOD);
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(hash).not.toContain(GOOD);
    expect(await verifyPassword(hash, GOOD)).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
    expect(await hashPassword(GOOD)).not.toBe(hash);
  });

  it('says no, rather than throwing, for a stored hash it cannot read', async () => {
    expect(await verifyPassword('not-a-hash', GOOD)).toBe(false);
    expect(await verifyPassword('', GOOD)).toBe(false);
  });
});
