/**
 * Simulated networks (issue 17, `npm run platform:simulate`): which practices a simulation made, so
 * that synthetic data is never mixed into a database silently. The simulator refuses a database
 * holding patients outside these practices unless told to (--force), and the research extract marks
 * each practice as synthetic or not.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table simulation_runs (
      id uuid primary key,
      seed integer not null,
      gps integer not null,
      patients integer not null,
      simulated_end timestamptz not null,
      created_at timestamptz not null,
      -- The planted parameters (the truth file holds them too, with every GP's effect).
      parameters jsonb not null,
      -- Run with --force on a database that already held other patients.
      forced boolean not null
    );

    create table simulated_practices (
      practice_id uuid primary key references practices (id),
      run_id uuid not null references simulation_runs (id)
    );

    grant select, insert on simulation_runs, simulated_practices to gpdep_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists simulated_practices, simulation_runs`.execute(db);
}
