/**
 * docker-compose.yml cannot be run here (no Docker engine), so this checks what can be checked
 * without one: it parses, it has the reference layout (3-member replica set, Redis, 2 engines,
 * 2 workers), and every variable it sets is one the app reads and accepts.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Environment, validateEnvironment } from '../../src/config/environment.schema';

const ROOT = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, any>;
};
const services = compose.services;
const KNOWN = new Set([
  ...Object.keys(new Environment()),
  'MONGODB_URI',
  'REDIS_URL',
  'TRELLIS_INSTANCE_ID',
  'TRELLIS_WORKER_RATE_LIMIT',
  'TRELLIS_DURABILITY',
  'NODE_ENV',
]);

function envOf(name: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(services[name].environment ?? {}).map(([k, v]) => [
      k,
      String(v).replace(/\$\{TRELLIS_API_KEYS[^}]*\}/, 'a-key-of-sixteen-chars'),
    ]),
  );
}

describe('docker-compose.yml', () => {
  const engines = Object.keys(services).filter((s) => s.startsWith('engine-'));
  const workers = Object.keys(services).filter((s) => s.startsWith('worker-'));

  it('runs a 3-member MongoDB replica set, Redis, 2 engines and 2 workers', () => {
    const mongos = Object.keys(services).filter((s) => services[s].image?.startsWith('mongo:'));
    expect(mongos).toHaveLength(3);
    for (const m of mongos)
      expect(services[m].command).toEqual(['--replSet', 'rs0', '--bind_ip_all']);
    const initiate = JSON.stringify(services['mongo-1'].healthcheck.test);
    for (const m of mongos) expect(initiate).toContain(`host: '${m}:27017'`);
    expect(services.redis.image).toMatch(/^redis:/);
    expect(engines).toHaveLength(2);
    expect(workers).toHaveLength(2);
    for (const w of workers) expect(services[w].command).toEqual(['node', 'dist/src/worker.js']);
  });

  it('sets only variables the app reads, with values it accepts', () => {
    for (const name of [...engines, ...workers]) {
      const env = envOf(name);
      for (const key of Object.keys(env))
        expect({ name, key, known: KNOWN.has(key) }).toEqual({ name, key, known: true });
      const parsed = validateEnvironment({ ...env, HOST: '0.0.0.0' });
      expect(parsed.MONGODB_URI).toContain('replicaSet=rs0');
      expect(parsed.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  it('gives each engine its own instance id and port, and every process the same queue prefix', () => {
    const ids = engines.map((e) => envOf(e).TRELLIS_INSTANCE_ID);
    expect(new Set(ids).size).toBe(2);
    const ports = engines.map((e) => services[e].ports[0].split(':')[0]);
    expect(new Set(ports).size).toBe(2);
    const prefixes = [...engines, ...workers].map((s) => envOf(s).TRELLIS_QUEUE_PREFIX);
    expect(new Set(prefixes)).toEqual(new Set(['trellis']));
  });
});
