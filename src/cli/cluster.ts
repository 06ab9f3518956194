/**
 * `npm run cluster -- [--instances N] [--port P] [--seed-demo]`: N server instances on the
 * PostgreSQL database in DATABASE_URL behind HAProxy on one port (src/cluster/cluster.ts), for
 * trying failover by hand: kill an instance (its pid is printed) and keep using the app.
 * Secrets come from the environment (AUDIT_HMAC_KEY, CSRF_KEY, SECOND_FACTOR_KEY), shared by all.
 * Ctrl-C stops everything.
 */
import { parseArgs } from 'node:util';
import { startCluster } from '../cluster/cluster.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: '3' },
    port: { type: 'string' },
    'seed-demo': { type: 'boolean', default: false },
  },
});
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error(
    'npm run cluster: set DATABASE_URL (several instances need PostgreSQL, not the embedded database)'
  );
  process.exit(1);
}
const instances = Number(values.instances);
if (!Number.isInteger(instances) || instances < 1) {
  console.error(`npm run cluster: --instances must be a whole number ≥ 1, got ${values.instances}`);
  process.exit(1);
}
const cluster = await startCluster({
  instances,
  databaseUrl,
  seedDemo: values['seed-demo'],
  ...(values.port ? { port: Number(values.port) } : {}),
  logLevel: process.env.LOG_LEVEL ?? 'info',
  log: (line) => console.log(line),
}).catch((error: unknown) => {
  console.error(`npm run cluster: ${(error as Error).message}`);
  process.exit(1);
});
for (const instance of cluster.instances)
  console.log(`  ${instance.name}: ${instance.url} (pid ${instance.child.pid})`);
console.log(`GP-DEP: ${cluster.url} (Ctrl-C stops all)`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void cluster.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
