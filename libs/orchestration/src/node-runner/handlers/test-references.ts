import { ActionConfigDto } from './dto/action-config.dto';

/** Suite / case / item references of a TEST_EXECUTION. */
export interface TestReferences {
  /** Test suite reference. */
  suiteId?: string;
  /** Test case reference. */
  caseId?: string;
  /** Test item reference. */
  itemId?: string;
}

const REFERENCES = [
  { key: 'suiteId', env: 'TRELLIS_SUITE_ID', header: 'x-trellis-suite-id' },
  { key: 'caseId', env: 'TRELLIS_CASE_ID', header: 'x-trellis-case-id' },
  { key: 'itemId', env: 'TRELLIS_ITEM_ID', header: 'x-trellis-item-id' },
] as const;

/** Each reference from the config, else from the execution input (strings or numbers there). */
export function resolveTestReferences(
  config: TestReferences,
  input: Record<string, unknown>,
): TestReferences {
  const refs: TestReferences = {};
  for (const { key } of REFERENCES) {
    const fromInput = input?.[key];
    const value =
      config[key] ??
      (typeof fromInput === 'string' || typeof fromInput === 'number'
        ? String(fromInput)
        : undefined);
    if (value !== undefined) refs[key] = value;
  }
  return refs;
}

/** A copy of the action carrying the references: env vars for a command, headers for HTTP. */
export function withTestReferences(action: ActionConfigDto, refs: TestReferences): ActionConfigDto {
  const present = REFERENCES.filter(({ key }) => refs[key] !== undefined);
  if (action.command) {
    const env = Object.fromEntries(present.map(({ key, env }) => [env, refs[key]!]));
    return { command: { ...action.command, env: { ...action.command.env, ...env } } };
  }
  if (action.http) {
    const headers = Object.fromEntries(present.map(({ key, header }) => [header, refs[key]!]));
    return { http: { ...action.http, headers: { ...action.http.headers, ...headers } } };
  }
  return action;
}
