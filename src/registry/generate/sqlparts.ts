/** SQL fragments shared by the generator's stages. */
import { tableDef } from '../schema/tables.js';
import { num } from './db.js';
import {
  EDUCATION_BY_COHORT,
  EMPLOYMENT_BY_EDU,
  EMPLOYMENT_IMMIGRANT_FACTOR,
  EPISODE_AGE_TILT,
  EPISODE_AGE_TILT_70,
  EPISODE_RR_EDU,
  EPISODE_RR_IMMIGRANT,
} from './params.js';

/** Final SELECT list for a registry table: every column of tables.ts, in order, cast to its type. */
export function project(table: string, exprs: Record<string, string>): string {
  const def = tableDef(table);
  const names = def.columns.map((c) => c.name);
  const extra = Object.keys(exprs).filter((k) => !names.includes(k));
  if (extra.length) throw new Error(`${table}: not in the schema: ${extra.join(', ')}`);
  return def.columns
    .map((c) => {
      const e = exprs[c.name];
      if (e === undefined) throw new Error(`${table}: no expression for ${c.name}`);
      return `CAST(${e} AS ${c.type}) AS "${c.name}"`;
    })
    .join(',\n  ');
}

/** Education group in a year from the final group and the age that year (attainment by age). */
export function eduAt(age: string): string {
  return `CASE WHEN edu_final IS NULL THEN 'missing' WHEN ${age} < 19 THEN 'low' WHEN ${age} < 24 AND edu_final = 'high' THEN 'medium' ELSE edu_final END`;
}

/** NUS2000 level digit in a year (consistent with eduAt). */
export function nusAt(age: string): string {
  return `CASE WHEN ${age} < 19 THEN least(nus_final, 2) WHEN ${age} < 24 AND nus_final >= 6 THEN 4 ELSE nus_final END`;
}

/** Employed (labour income >= 2G) in a year: ages 20-66, by education, age and immigrant background. */
export function employedAt(age: string): string {
  const e = eduAt(age);
  return `(${age} BETWEEN 20 AND 66 AND emp_u < (CASE ${e} WHEN 'high' THEN ${EMPLOYMENT_BY_EDU.high} WHEN 'medium' THEN ${EMPLOYMENT_BY_EDU.medium} ELSE ${EMPLOYMENT_BY_EDU.low} END)
    * (CASE WHEN ${age} >= 62 THEN 0.65 WHEN ${age} < 24 THEN 0.85 ELSE 1.0 END)
    * (CASE WHEN immig = 'immigrant' THEN ${EMPLOYMENT_IMMIGRANT_FACTOR} ELSE 1.0 END))`;
}

/** Relative rate of a new depression episode (education that year, immigrant background). */
export function episodeRr(age: string): string {
  return `exp(CASE WHEN ${age} >= 70 THEN ${EPISODE_AGE_TILT_70} * (${age} - 70) ELSE ${EPISODE_AGE_TILT} * (${age} - 45) END) * (CASE ${eduAt(age)} WHEN 'low' THEN ${EPISODE_RR_EDU.low} WHEN 'medium' THEN ${EPISODE_RR_EDU.medium} WHEN 'high' THEN ${EPISODE_RR_EDU.high} ELSE ${EPISODE_RR_EDU.missing} END) * (CASE WHEN immig = 'immigrant' THEN ${EPISODE_RR_IMMIGRANT} ELSE 1.0 END)`;
}

/** Final education group drawn from a uniform, by birth cohort, sex and rurality. */
export function eduFinal(u: string): string {
  const branches = EDUCATION_BY_COHORT.map((c) => {
    const pick = (low: number, high: number) =>
      `CASE WHEN ${u} < ${num(low)} * lowf THEN 'low' WHEN ${u} > 1 - ${num(high)} * highf THEN 'high' ELSE 'medium' END`;
    return `WHEN birth_year >= ${c.bornFrom} THEN (CASE WHEN sex = 'F' THEN ${pick(...c.female)} ELSE ${pick(...c.male)} END)`;
  });
  return `CASE ${branches.join(' ')} END`;
}

export const personId = (pn: string) => `'P' || (10000000 + ${pn})::VARCHAR`;
export const gpId = (idx: string) => `'G' || (10001 + ${idx})::VARCHAR`;
