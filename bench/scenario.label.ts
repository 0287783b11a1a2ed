import type { ScenarioSpec } from './bench.config';

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * A short human name of a scenario's graph: `chain 1,000`, `fan 1->10,000->1`,
 * `fan-in 1<-10,000`, `layered 10,000 x3`.
 */
export function scenarioLabel(spec: ScenarioSpec): string {
  if (spec.shape === 'chain') return `chain ${fmt(spec.size)}`;
  if (spec.shape === 'fan') return `fan 1->${fmt(spec.size)}->1`;
  if (spec.shape === 'fanin') return `fan-in 1<-${fmt(spec.size)}`;
  return `layered ${fmt(spec.size)} x${spec.parents}`;
}

/** Where a scenario ran: `memory`, or `sqlite durable`, `postgresql write-behind`, ... */
export function storeLabel(spec: ScenarioSpec): string {
  return spec.store === 'memory' ? 'memory' : `${spec.backend ?? 'mongo'} ${spec.durability}`;
}
