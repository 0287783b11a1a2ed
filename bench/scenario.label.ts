import type { ScenarioSpec } from './bench.config';

const fmt = (n: number) => n.toLocaleString('en-US');

/** A short human name of a scenario's graph: `chain 1,000`, `fan 1->10,000->1`, `layered 10,000 x3`. */
export function scenarioLabel(spec: ScenarioSpec): string {
  if (spec.shape === 'chain') return `chain ${fmt(spec.size)}`;
  if (spec.shape === 'fan') return `fan 1->${fmt(spec.size)}->1`;
  return `layered ${fmt(spec.size)} x${spec.parents}`;
}
