/**
 * `npm run bench:load` (issue 18): closed-loop load on GP-DEP as a service: PostgreSQL, N server
 * instances behind HAProxy, and autocannon driving a realistic mix.
 *
 *   patients (80 % of users): GET module 1, PUT a workbook autosave, GET their progress, PUT again
 *   GPs (20 %): GET the worklist, GET a follow-up card (twice), a note (POST) on a planned follow-up
 *
 * Every user is logged in with a session of their own; each autocannon connection is one user who
 * sends the next request when the last one has answered (closed loop). Runs 3 instances and 1
 * instance, at 50 and 200 users, LOAD_SECONDS each (default 60), and prints requests a second,
 * p50/p95/p99 per request kind, errors, and lost writes: afterwards every acknowledged autosave
 * is looked up at its revision (or a later one) and every acknowledged note exactly once.
 *
 * Environment: DATABASE_URL (else a throwaway cluster from scripts/ci/start-postgres.sh on a free
 * port), LOAD_SECONDS, LOAD_USERS (default "50,200"), LOAD_INSTANCES (default "3,1"),
 * LOAD_KILL=1 (one more 3-instance run at the largest user count, killing one instance half-way).
 * The figures depend on the machine and on what else runs on it: they are printed, not asserted.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { findHaproxy, freePort, startCluster, type Cluster } from '../src/cluster/cluster.js';
import {
  httpLogin,
  seedLoadFixture,
  workbookTarget,
  writeHeaders,
  type HttpSession,
  type LoadFixture,
} from '../src/cluster/load-fixture.js';
import { openDatabase } from '../src/db/connection.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const USER_COUNTS = (process.env.LOAD_USERS ?? '50,200').split(',').map(Number);
const INSTANCE_COUNTS = (process.env.LOAD_INSTANCES ?? '3,1').split(',').map(Number);
const KILL = process.env.LOAD_KILL === '1';
const MAX_USERS = Math.max(...USER_COUNTS);
const GP_SHARE = 0.2;
const GPS = Math.max(2, Math.ceil(MAX_USERS * GP_SHARE));
const PATIENTS = MAX_USERS;
/** Planned follow-ups per patient: enough for a note every few seconds per GP for the whole run. */
const FOLLOW_UPS_PER_PATIENT = Math.max(
  4,
  Math.ceil((SECONDS * 3 * USER_COUNTS.length) / (PATIENTS / GPS) / 4)
);

type Kind = 'module' | 'progress' | 'autosave' | 'worklist' | 'card' | 'note';
const KINDS: Kind[] = ['module', 'progress', 'autosave', 'worklist', 'card', 'note'];

interface RunStats {
  latencies: Record<Kind, number[]>;
  errors: Record<Kind, number>;
  statuses: Map<string, number>;
  /** entry id → highest acknowledged revision */
  savedRevisions: Map<string, { patientId: string; revision: number }>;
  notesAcknowledged: string[];
  notesSkipped: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function throwawayPostgres(): Promise<{ url: string; stop: () => void }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => {} };
  const port = await freePort();
  const out = execFileSync('bash', ['scripts/ci/start-postgres.sh'], {
    cwd: ROOT,
    env: { ...process.env, PGPORT_CI: String(port) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const value = (name: string) => new RegExp(`export ${name}='([^']*)'`).exec(out)?.[1] ?? '';
  const base = value('GPDEP_PG_BASE');
  return {
    url: value('DATABASE_URL'),
    stop: () => execFileSync('bash', ['scripts/ci/stop-postgres.sh', base], { cwd: ROOT, stdio: 'inherit' }),
  };
}

async function freshDatabase(
  serverUrl: string,
  label: string
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gpdep_load_${label}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

interface Users {
  patients: { session: HttpSession; patientId: string }[];
  gps: { session: HttpSession; followUps: { patientId: string; followUpId: string }[] }[];
}

async function logInEveryone(base: string, fixture: LoadFixture): Promise<Users> {
  const patients: Users['patients'] = [];
  const gps: Users['gps'] = [];
  // A few at a time: each login is a deliberate, slow password hash.
  const queue = [
    ...fixture.patients.map((p) => async () => {
      const session = await httpLogin(base, p.username);
      // The PHQ-9 before module 1 opens it for the workbook.
      const res = await fetch(`${base}/api/patients/${p.patientId}/phq9`, {
        method: 'POST',
        headers: writeHeaders(base, session, { 'idempotency-key': randomUUID() }),
        body: JSON.stringify({ items: [1, 1, 1, 1, 1, 1, 1, 1, 0], difficulty: 1 }),
      });
      if (res.status !== 201 && res.status !== 409)
        throw new Error(`PHQ-9: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      patients.push({ session, patientId: p.patientId });
    }),
    ...fixture.gps.map((g) => async () => {
      gps.push({ session: await httpLogin(base, g.username), followUps: [...g.followUps] });
    }),
  ];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    })
  );
  return { patients, gps };
}

function emptyStats(): RunStats {
  return {
    latencies: Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<Kind, number[]>,
    errors: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>,
    statuses: new Map(),
    savedRevisions: new Map(),
    notesAcknowledged: [],
    notesSkipped: 0,
  };
}

/** The requests of one autocannon connection: one user's loop, measured per kind. */
function userRequests(base: string, users: Users, index: number, stats: RunStats): autocannon.Request[] {
  // Every fifth user is a GP (GP_SHARE), each with an account of their own.
  const isGp = index % 5 === 4;
  let sentAt = 0;
  const measured = (
    kind: Kind,
    build: () => autocannon.Request | null,
    ack?: (status: number, body: string) => void
  ) => ({
    setupRequest: (request: autocannon.Request) => {
      const built = build();
      sentAt = performance.now();
      return { ...request, ...built };
    },
    onResponse: (status: number, body: string) => {
      stats.latencies[kind].push(performance.now() - sentAt);
      const key = `${kind} ${status}`;
      stats.statuses.set(key, (stats.statuses.get(key) ?? 0) + 1);
      if (status < 200 || status >= 300) stats.errors[kind] += 1;
      else ack?.(status, body);
    },
  });
  if (isGp) {
    const gp = users.gps[Math.floor(index / 5) % users.gps.length]!;
    const headers = { cookie: gp.session.cookie };
    let cardFollowUp = gp.followUps[0]!;
    const worklist = measured('worklist', () => ({ method: 'GET', path: '/api/gp/worklist', headers }));
    const card = measured('card', () => ({
      method: 'GET',
      path: `/api/patients/${cardFollowUp.patientId}/follow-ups/${cardFollowUp.followUpId}/card`,
      headers,
    }));
    let noting: { followUpId: string } | null = null;
    const note = measured(
      'note',
      () => {
        const next = gp.followUps.shift();
        if (!next) {
          stats.notesSkipped += 1;
          noting = null;
          return { method: 'GET', path: '/api/gp/worklist', headers };
        }
        noting = next;
        cardFollowUp = next;
        return {
          method: 'POST',
          path: `/api/patients/${next.patientId}/follow-ups/${next.followUpId}/note`,
          headers: writeHeaders(base, gp.session),
          body: JSON.stringify({
            discussed: 'Lasttest: gjennomgang av modul (syntetisk).',
            plan: 'Fortsette programmet.',
            nextStep: 'Ny samtale om to uker.',
            mode: 'phone',
            durationMinutes: 15,
            sickLeave: { status: 'none', percent: null, from: null, to: null },
            feeCodes: [],
            language: 'nb',
          }),
        };
      },
      () => {
        if (noting) stats.notesAcknowledged.push(noting.followUpId);
      }
    );
    return [worklist, card, card, note] as autocannon.Request[];
  }
  const patient = users.patients[(index - Math.floor(index / 5)) % users.patients.length]!;
  const target = workbookTarget();
  const headers = { cookie: patient.session.cookie };
  const entries = [randomUUID(), randomUUID()];
  let revision = 0;
  let saving = { entryId: '', revision: 0 };
  const autosave = measured(
    'autosave',
    () => {
      revision += 1;
      saving = { entryId: entries[revision % 2]!, revision };
      return {
        method: 'PUT',
        path: `/api/patients/${patient.patientId}/workbook/${saving.entryId}`,
        headers: writeHeaders(base, patient.session),
        body: JSON.stringify({
          moduleId: target.moduleId,
          exerciseId: target.exerciseId,
          answers: { [target.fieldId]: `Lasttest ${index} revisjon ${revision}` },
          revision,
          sharedWithGp: false,
        }),
      };
    },
    () => {
      const known = stats.savedRevisions.get(saving.entryId);
      if (!known || known.revision < saving.revision)
        stats.savedRevisions.set(saving.entryId, { patientId: patient.patientId, revision: saving.revision });
    }
  );
  return [
    measured('module', () => ({ method: 'GET', path: '/api/program/modules/m1', headers })),
    autosave,
    measured('progress', () => ({
      method: 'GET',
      path: `/api/patients/${patient.patientId}/program`,
      headers,
    })),
    autosave,
  ] as autocannon.Request[];
}

async function lostWrites(
  databaseUrl: string,
  stats: RunStats
): Promise<{ autosaves: number; notes: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = [...stats.savedRevisions.keys()];
    const rows = await client.query<{ id: string; revision: number }>(
      'select id, revision from workbook_entries where id = any($1::uuid[])',
      [ids]
    );
    const stored = new Map(rows.rows.map((r) => [r.id, r.revision]));
    const autosaves = ids.filter(
      (id) => (stored.get(id) ?? 0) < stats.savedRevisions.get(id)!.revision
    ).length;
    const notes = await client.query<{ follow_up_id: string; n: number }>(
      'select follow_up_id, count(*)::int as n from follow_up_notes where follow_up_id = any($1::uuid[]) group by follow_up_id',
      [stats.notesAcknowledged]
    );
    const once = notes.rows.filter((r) => r.n === 1).length;
    return { autosaves, notes: stats.notesAcknowledged.length - once };
  } finally {
    await client.end();
  }
}

async function run(
  label: string,
  cluster: Cluster,
  databaseUrl: string,
  users: Users,
  connections: number,
  kill: boolean
): Promise<void> {
  const stats = emptyStats();
  let client = 0;
  const instance = autocannon({
    url: cluster.url,
    connections,
    pipelining: 1,
    duration: SECONDS,
    timeout: 30,
    setupClient: (c) => c.setRequests(userRequests(cluster.url, users, client++, stats)),
  });
  let killedAt: number | null = null;
  if (kill) {
    setTimeout(
      () => {
        killedAt = performance.now();
        void cluster.killInstance(1);
      },
      (SECONDS * 1000) / 2
    );
  }
  const result = await instance;
  const lost = await lostWrites(databaseUrl, stats);
  const total = KINDS.reduce((n, k) => n + stats.latencies[k].length, 0);
  const errors = KINDS.reduce((n, k) => n + stats.errors[k], 0);
  console.log(
    `\n${label}: ${connections} users, ${SECONDS} s${killedAt ? ', one instance killed half-way' : ''}` +
      `\n  ${(total / SECONDS).toFixed(0)} requests/s (autocannon: ${result.requests.average.toFixed(0)}/s average, ` +
      `${result.non2xx} non-2xx, ${result.errors} connection errors, ${result.timeouts} timeouts)`
  );
  console.log('  kind        count     p50 ms   p95 ms   p99 ms   errors');
  for (const kind of KINDS) {
    const sorted = [...stats.latencies[kind]].sort((a, b) => a - b);
    if (sorted.length === 0) continue;
    const f = (x: number) => x.toFixed(0).padStart(8);
    console.log(
      `  ${kind.padEnd(10)} ${String(sorted.length).padStart(6)} ${f(percentile(sorted, 50))} ${f(percentile(sorted, 95))} ${f(percentile(sorted, 99))} ${String(stats.errors[kind]).padStart(8)}`
    );
  }
  const oddStatuses = [...stats.statuses].filter(([k]) => !/ 2\d\d$/.test(k));
  console.log(
    `  errors: ${errors}${oddStatuses.length ? ` (${oddStatuses.map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}; ` +
      `lost writes: ${lost.autosaves + lost.notes} (acknowledged: ${stats.savedRevisions.size} workbook entries at their last revision, ` +
      `${stats.notesAcknowledged.length} notes${stats.notesSkipped ? `; ${stats.notesSkipped} notes skipped, no planned follow-up left` : ''})`
  );
}

async function main(): Promise<void> {
  if (!findHaproxy()) throw new Error('haproxy is not installed (Debian: apt-get install haproxy)');
  console.log(
    `bench:load: ${USER_COUNTS.join(' and ')} users, ${SECONDS} s a run, on ${INSTANCE_COUNTS.join(' and ')} instance(s) behind HAProxy ` +
      `(${GPS} GPs, ${PATIENTS} patients, ${FOLLOW_UPS_PER_PATIENT} planned follow-ups each).`
  );
  const server = await throwawayPostgres();
  const secrets = {
    AUDIT_HMAC_KEY: randomBytes(32).toString('base64'),
    CSRF_KEY: randomBytes(32).toString('base64'),
    SECOND_FACTOR_KEY: randomBytes(32).toString('base64'),
  };
  try {
    for (const instances of INSTANCE_COUNTS) {
      const database = await freshDatabase(server.url, `${instances}i`);
      const cluster = await startCluster({
        instances,
        databaseUrl: database.url,
        seedDemo: true,
        env: {
          ...secrets,
          GPDEP_ALLOW_UNSAFE_DURABILITY: process.env.DATABASE_URL
            ? (process.env.GPDEP_ALLOW_UNSAFE_DURABILITY ?? '0')
            : '1',
          // Every login comes through the balancer's one address.
          LOGIN_RATE_LIMIT: '1000000',
          LOG_LEVEL: 'warn',
        },
        log: (line) => console.log(`  ${line}`),
      });
      try {
        const db = await openDatabase({ databaseUrl: database.url, allowUnsafeDurability: true });
        const fixture = await seedLoadFixture(db.db, {
          gps: GPS,
          patients: PATIENTS,
          followUpsPerPatient: FOLLOW_UPS_PER_PATIENT,
        });
        await db.close();
        const t0 = performance.now();
        const users = await logInEveryone(cluster.url, fixture);
        console.log(
          `  ${users.patients.length + users.gps.length} users logged in (${((performance.now() - t0) / 1000).toFixed(1)} s)`
        );
        for (const connections of USER_COUNTS) {
          await run(`${instances} instance(s)`, cluster, database.url, users, connections, false);
        }
        if (KILL && instances > 1)
          await run(`${instances} instance(s)`, cluster, database.url, users, MAX_USERS, true);
      } finally {
        await cluster.stop();
        await database.drop();
      }
    }
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
