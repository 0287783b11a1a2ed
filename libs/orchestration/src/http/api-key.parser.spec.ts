import { parseApiKey, parseApiKeys } from './api-key.parser';

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

  it('takes the whole entry as the secret when the part after the colon is under 16 characters', () => {
    expect(parseApiKey('ops:0123456789abcde', 1)).toEqual({
      name: 'key-1',
      secret: 'ops:0123456789abcde',
    });
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
