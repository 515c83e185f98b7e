import { hashPassword, passwordProblem, verifyPassword } from '../../src/web/password';

describe('web/password', () => {
  it('hashes with scrypt into a self-describing string that verifies only the same password', async () => {
    const hash = await hashPassword('kuota paspor jumat');
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('kuota');
    expect(await verifyPassword('kuota paspor jumat', hash)).toBe(true);
    expect(await verifyPassword('kuota paspor jumaT', hash)).toBe(false);
    // A fresh salt each time.
    expect(await hashPassword('kuota paspor jumat')).not.toBe(hash);
  });

  it('keeps verifying hashes made with another cost, and refuses malformed or absurd ones without throwing', async () => {
    const cheap = await hashPassword('another password', { log2N: 10, r: 8, p: 1 });
    expect(await verifyPassword('another password', cheap)).toBe(true);
    for (const bad of ['', 'plain', 'scrypt$15$8$1$c2FsdA==', 'scrypt$40$8$1$c2FsdA==$aGFzaA==', 'bcrypt$15$8$1$c2FsdA==$aGFzaA==', cheap.replace(/\$[^$]+$/, '$AAAA')]) {
      expect(await verifyPassword('another password', bad)).toBe(false);
    }
  });

  it('asks for 12 characters or more', () => {
    expect(passwordProblem('')).toMatch(/empty/);
    expect(passwordProblem('   ')).toMatch(/empty/);
    expect(passwordProblem('short pass1')).toMatch(/at least 12/);
    expect(passwordProblem('twelve chars')).toBeNull();
  });
});
