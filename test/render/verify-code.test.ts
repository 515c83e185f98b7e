import { formatVerifyCode, parseVerifyCode, verifyCode, verifyUrl } from '../../src/render/verify-code';

const post = { officeId: 'kanim-pontianak', ruleId: 'h-60', subject: 'mingguan@2026-12-11', fingerprint: 'a'.repeat(64) };

describe('verification codes', () => {
  it('are eight characters of Crockford base 32, the same for the same announcement on every planning', () => {
    const code = verifyCode(post);
    expect(code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(verifyCode({ ...post })).toBe(code);
  });

  it('differ when the office, rule, subject or content differs', () => {
    const codes = new Set([
      verifyCode(post),
      verifyCode({ ...post, officeId: 'kanim-jayapura' }),
      verifyCode({ ...post, ruleId: 'opening' }),
      verifyCode({ ...post, subject: 'mingguan@2026-12-18' }),
      verifyCode({ ...post, fingerprint: 'b'.repeat(64) }),
    ]);
    expect(codes.size).toBe(5);
  });

  it('spread over the whole alphabet (no character stuck), so 40 bits are really used', () => {
    const seen = Array.from({ length: 8 }, () => new Set<string>());
    for (let i = 0; i < 2000; i++) {
      const code = verifyCode({ ...post, subject: `s${i}` });
      [...code].forEach((char, position) => seen[position]!.add(char));
    }
    for (const chars of seen) expect(chars.size).toBe(32);
  });

  it('are printed in two groups and read back from what people type', () => {
    const code = verifyCode(post);
    const printed = formatVerifyCode(code);
    expect(printed).toBe(`${code.slice(0, 4)}-${code.slice(4)}`);
    expect(parseVerifyCode(printed)).toBe(code);
    expect(parseVerifyCode(` ${printed.toLowerCase().replace('-', ' ')} `)).toBe(code);
    // Crockford: O read as 0, I and L as 1.
    expect(parseVerifyCode('K7M2-Q9XO')).toBe('K7M2Q9X0');
    expect(parseVerifyCode('k7m2-q9xl')).toBe('K7M2Q9X1');
    expect(parseVerifyCode('K7M2-Q9X')).toBeNull();
    expect(parseVerifyCode('K7M2-Q9XDD')).toBeNull();
    expect(parseVerifyCode('K7M2-Q9XU')).toBeNull();
    expect(parseVerifyCode('<script>')).toBeNull();
  });

  it('lead to /v/CODE under the public address, whatever its trailing slashes', () => {
    expect(verifyUrl('https://kuota.example.go.id/', 'K7M2Q9XD')).toBe('https://kuota.example.go.id/v/K7M2Q9XD');
    expect(verifyUrl('https://example.org/herald', 'K7M2Q9XD')).toBe('https://example.org/herald/v/K7M2Q9XD');
  });
});
