import { readFileSync } from 'node:fs';
import { CliUsageError } from '../errors';

/**
 * Reads and parses a JSON file (a graph definition, an `--input @file`).
 * @throws CliUsageError when the file cannot be read or is not valid JSON (exit 2)
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : message;
    throw new CliUsageError(`cannot read ${file}: ${reason}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
