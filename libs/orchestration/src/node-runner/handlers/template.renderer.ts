import { parseValuePath, readValuePath } from './value-path.parser';

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;

/**
 * Checks every `{{ path }}` placeholder of a template.
 * @returns the first problem found, or undefined when the template renders.
 */
export function templateProblem(template: string): string | undefined {
  for (const [, path] of template.matchAll(PLACEHOLDER)) {
    try {
      parseValuePath(path);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

/**
 * Renders a template such as `Login tests {{ upstream.login-tests.status }} for {{ input.suiteId }}`:
 * each `{{ path }}` (syntax of `parseValuePath`) is replaced by the value found in `document`.
 * Strings are inserted as they are, other values as JSON; missing values and null render as ``.
 *
 * @throws SyntaxError when a placeholder holds an invalid path.
 */
export function renderTemplate(template: string, document: unknown): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => {
    const value = readValuePath(document, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}
