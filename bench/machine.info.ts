import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { release, totalmem } from 'node:os';

/** The machine a result was measured on. */
export interface MachineInfo {
  /** `nproc`: CPUs this process may use. */
  nproc: number;
  cpuModel: string;
  totalMemoryGb: number;
  kernel: string;
  node: string;
  v8: string;
  date: string;
}

/** Reads `nproc`, /proc/cpuinfo, the Node version and the date. */
export function machineInfo(): MachineInfo {
  let nproc: number;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    nproc = Number.NaN;
  }
  let cpuModel = 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1].trim();
  } catch {
    // NOTE: not Linux; leave it unknown.
  }
  return {
    nproc,
    cpuModel,
    totalMemoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
  };
}
