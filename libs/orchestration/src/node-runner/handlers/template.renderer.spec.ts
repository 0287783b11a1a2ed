import { renderTemplate, templateProblem } from './template.renderer';

describe('renderTemplate', () => {
  const document = {
    input: { suiteId: 'S-1' },
    upstream: { 'login-tests': { status: 'failed', counts: { failed: 2 } } },
  };

  it('replaces placeholders with strings as they are and other values as JSON', () => {
    expect(
      renderTemplate(
        'Suite {{ input.suiteId }}: {{upstream.login-tests.status}} {{ upstream.login-tests.counts }}',
        document,
      ),
    ).toBe('Suite S-1: failed {"failed":2}');
  });

  it('renders missing values as nothing', () => {
    expect(renderTemplate('[{{ upstream.checkout.status }}]', document)).toBe('[]');
  });

  it('reports an invalid placeholder path', () => {
    expect(templateProblem('{{ upstream..x }}')).toMatch(/empty key/);
    expect(templateProblem('no placeholders')).toBeUndefined();
  });
});
