/**
 * `npm run content:check`: validates every module file in src/content/modules against the content
 * schema, checks both languages have the same structure, holds every story about a recurring
 * character to the cast list (src/content/cast.json), and prints plain-language figures.
 * Exits 1 on any problem (the build runs it first). Arguments: [modules folder] [cast file].
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAST_FILE, validateCast } from '../domain/program/cast-validation.js';
import type { ModuleContent } from '../domain/program/content-schema.js';
import { compareLanguages, lessonTexts, validateModuleFile } from '../domain/program/content-validation.js';
import { fleschReadingEase, lix, textStats } from '../domain/program/readability.js';

const dir = process.argv[2] ?? fileURLToPath(new URL('../content/modules/', import.meta.url));
const castPath = process.argv[3] ?? join(dir, '..', CAST_FILE);
const files = readdirSync(dir)
  .filter((f) => /^m\d\.(nb|en)\.json$/.test(f))
  .sort();
let failures = 0;
const parsed = new Map<string, ModuleContent>();

for (const file of files) {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (error) {
    console.log(`✗ ${file}: not valid JSON (${(error as Error).message})`);
    failures += 1;
    continue;
  }
  const problems = validateModuleFile(file, data);
  for (const p of problems) console.log(`✗ ${file} ${p.path}: ${p.problem}`);
  failures += problems.length;
  const m = data as ModuleContent;
  if (m?.lessons) {
    const texts = lessonTexts(m.lessons);
    const stats = textStats(texts);
    const measure =
      m.language === 'nb' ? `LIX ${lix(texts).toFixed(1)}` : `Flesch ${fleschReadingEase(texts).toFixed(1)}`;
    console.log(
      `${problems.length === 0 ? '✓' : ' '} ${file}: ${m.lessons.length} lessons, ${m.exercises?.length} exercises, ${m.quiz?.length} quiz questions; ${stats.words} words in ${stats.sentences} sentences; ${measure}`
    );
    if (problems.length === 0) parsed.set(file, m);
  }
}

for (const n of [1, 2, 3, 4, 5]) {
  const nb = parsed.get(`m${n}.nb.json`);
  const en = parsed.get(`m${n}.en.json`);
  if (!files.includes(`m${n}.nb.json`) || !files.includes(`m${n}.en.json`)) {
    console.log(`✗ module ${n}: both m${n}.nb.json and m${n}.en.json are needed`);
    failures += 1;
    continue;
  }
  if (nb && en) {
    const diffs = compareLanguages(nb, en);
    for (const d of diffs) console.log(`✗ module ${n} nb/en structure differs: ${d}`);
    failures += diffs.length;
  }
}

// Stories are held to the cast list in every file that passed the schema.
let cast: unknown = null;
try {
  cast = JSON.parse(readFileSync(castPath, 'utf8'));
} catch (error) {
  console.log(`✗ ${CAST_FILE}: cannot be read as JSON (${(error as Error).message})`);
  failures += 1;
}
if (cast !== null) {
  const castProblems = validateCast(cast, parsed);
  for (const p of castProblems) console.log(`✗ ${p.file} ${p.path}: ${p.problem}`);
  failures += castProblems.length;
  if (castProblems.length === 0) {
    const characters = (cast as { characters: unknown[] }).characters.length;
    console.log(`✓ ${CAST_FILE}: ${characters} recurring characters, every story agrees with the list`);
  }
}

console.log(failures === 0 ? 'Content OK.' : `${failures} content problem(s).`);
process.exit(failures === 0 ? 0 : 1);
