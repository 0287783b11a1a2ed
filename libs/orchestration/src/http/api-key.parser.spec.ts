import { apiKeyProblems, parseApiKey, parseApiKeys } from './api-key.parser';

const SECRET = '0123456789abcdef';

describe('parseApiKeys', () => {
  it('reads name:secret pairs', () => {
    expect(parseApiKeys([`ops:${SECRET}`, `ci.bot_2-x:${SECRET}xyz`])).toEqual([
      { name: 'ops', secret: SECRET },
      { name: 'ci.bot_2-x', secret: `${SECRET}xyz` },
    ]);
  });

  it('names a bare secret key-<n> after its 1-based position', () => {
    expect(parseApiKeys([`ops:${SECRET}`, 'legacy-key-0123456789'])).toEqual([
      { name: 'ops', secret: SECRET },
      { name: 'key-2', secret: 'legacy-key-0123456789' },
    ]);
  });

  it('refuses a name:secret entry whose secret is under 16 characters, showing no secret', () => {
    expect(() => parseApiKeys([`ops:${SECRET}`, 'ci:0123456789abcde'])).toThrow(
      /entry 2 is read as name:secret \(ci\) and its secret has 15 characters; it needs at least 16/,
    );
    expect(apiKeyProblems(['ci:0123456789abcde']).join()).not.toContain('0123456789abcde');
  });

  it('refuses two entries with the same secret, or the same name', () => {
    expect(apiKeyProblems([`ops:${SECRET}`, `ci:${SECRET}`])).toEqual([
      'entries 1 and 2 have the same secret',
    ]);
    expect(apiKeyProblems([`ops:${SECRET}`, `ops:${SECRET}x`])).toEqual([
      'entries 1 and 2 are both named ops',
    ]);
    expect(() => parseApiKeys([SECRET, `ops:${SECRET}`])).toThrow(/have the same secret/);
  });

  it('reads a bare secret shaped name:secret as named: the bearer token is the part after the colon', () => {
    expect(parseApiKeys([`legacy:${SECRET}`])).toEqual([{ name: 'legacy', secret: SECRET }]);
  });

  it('takes the whole entry as the secret when the name has other characters or is too long', () => {
    for (const entry of [
      `op s:${SECRET}`,
      `ops/x:${SECRET}`,
      `${'n'.repeat(65)}:${SECRET}`,
      `:${SECRET}`,
    ]) {
      expect(parseApiKey(entry, 3)).toEqual({ name: 'key-3', secret: entry });
    }
  });

  it('splits at the first colon: the secret may hold colons', () => {
    expect(parseApiKey(`ops:${SECRET}:more`, 1)).toEqual({ name: 'ops', secret: `${SECRET}:more` });
  });

  it('leaves out empty entries without counting them', () => {
    expect(parseApiKeys(['', 'legacy-key-0123456789'])).toEqual([
      { name: 'key-1', secret: 'legacy-key-0123456789' },
    ]);
  });
});
