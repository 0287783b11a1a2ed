import { describe, expect, it } from '@jest/globals';
import { formatDuration } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [120.4, '120 ms'],
    [999.4, '999 ms'],
    [999.6, '1.0 s'],
    [3_449, '3.4 s'],
    [59_940, '59.9 s'],
    [59_990, '1 min 00 s'],
    [125_000, '2 min 05 s'],
    [3_599_400, '59 min 59 s'],
    [3_600_000, '1 h 00 min'],
    [3_720_000, '1 h 02 min'],
    [26 * 3_600_000, '26 h 00 min'],
  ])('%p ms reads %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
