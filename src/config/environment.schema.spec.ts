import { validateEnvironment } from './environment.schema';

const SECRET = '0123456789abcdef';

describe('validateEnvironment: TRELLIS_API_KEYS', () => {
  it('refuses at startup a name:secret entry whose secret is too short, saying why and showing no secret', () => {
    const run = () => validateEnvironment({ TRELLIS_API_KEYS: `ops:${SECRET},ci:short-secret` });
    expect(run).toThrow(/TRELLIS_API_KEYS=<not shown>: entry 2 is read as name:secret/);
  });

  it('refuses a name:secret entry whose secret has under 16 characters even though the entry is long enough', () => {
    expect(() => validateEnvironment({ TRELLIS_API_KEYS: 'ci:0123456789abcde' })).toThrow(
      /entry 1 is read as name:secret \(ci\) and its secret has 15 characters/,
    );
  });

  it('refuses two keys with the same secret', () => {
    expect(() => validateEnvironment({ TRELLIS_API_KEYS: `ops:${SECRET},ci:${SECRET}` })).toThrow(
      /entries 1 and 2 have the same secret/,
    );
  });

  it('keeps bare secrets, named key-<n>', () => {
    const env = validateEnvironment({ TRELLIS_API_KEYS: `legacy/secret-0123456789,ops:${SECRET}` });
    expect(env.TRELLIS_API_KEYS).toHaveLength(2);
  });
});
