import { CliUsageError } from '../errors';
import { readJsonFile } from './json-file.reader';

/**
 * Parses `--input`: a JSON object given inline (`'{"env":"staging"}'`) or, with a leading `@`,
 * read from a file (`@input.json`).
 * @throws CliUsageError when it is not a JSON object (exit 2)
 */
export function parseInputOption(value: string): Record<string, unknown> {
  let parsed: unknown;
  if (value.startsWith('@')) {
    parsed = readJsonFile(value.slice(1));
  } else {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new CliUsageError(`--input is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliUsageError('--input must be a JSON object, e.g. --input \'{"env":"staging"}\'');
  }
  return parsed as Record<string, unknown>;
}
