/**
 * The registry twin's GPs as the GP survey's frame: the `gps` table (Parquet, read with DuckDB
 * as the registry's own code does) and, from the twin's truth.json, each GP's list size at the
 * reference date and planted talking-therapy random intercept u.talk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDuck } from '../../registry/generate/db.js';
import type { RegistryGp } from './frame.js';

interface TwinTruthGp {
  gp_id: string;
  list_size: number;
  u: { talk: number };
}

export interface TwinGps {
  gps: RegistryGp[];
  /** The twin's years (project_meta.json), e.g. [2009, 2016]. */
  years: [number, number] | null;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export async function readTwinGps(twinDir: string): Promise<TwinGps> {
  const dir = join(twinDir, 'gps');
  if (!existsSync(dir)) throw new Error(`No gps table in ${twinDir} (expected ${dir}/*.parquet)`);
  const truthPath = join(twinDir, 'truth.json');
  if (!existsSync(truthPath))
    throw new Error(`No truth.json in ${twinDir}: the planted association needs the twin's GP effects`);
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { gps?: TwinTruthGp[] };
  const byId = new Map((truth.gps ?? []).map((g) => [g.gp_id, g]));
  const duck = await openDuck({ threads: 1 });
  try {
    const rows = await duck.all<{
      gp_id: string;
      sex: string;
      birth_year: number;
      municipality: string | null;
      centrality: number | null;
      specialist_from: string | null;
    }>(
      `SELECT gp_id, sex, birth_year, municipality, centrality, CAST(specialist_from AS VARCHAR) AS specialist_from
       FROM read_parquet(${sqlString(join(dir, '*.parquet'))}) ORDER BY gp_id`
    );
    const gps = rows.map((r): RegistryGp => {
      const t = byId.get(r.gp_id);
      return {
        gpId: r.gp_id,
        sex: r.sex,
        birthYear: Number(r.birth_year),
        municipality: r.municipality,
        centrality: r.centrality === null ? null : Number(r.centrality),
        specialistFrom: r.specialist_from,
        listSize: t ? t.list_size : null,
        ...(t ? { uTalk: t.u.talk } : {}),
      };
    });
    const metaPath = join(twinDir, 'project_meta.json');
    const meta = existsSync(metaPath)
      ? (JSON.parse(readFileSync(metaPath, 'utf8')) as { years?: [number, number] })
      : {};
    return { gps, years: meta.years ?? null };
  } finally {
    duck.close();
  }
}
