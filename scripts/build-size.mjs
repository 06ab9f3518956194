#!/usr/bin/env node
/**
 * How much JavaScript a patient's module page (/patient/program/m1) downloads, gzipped.
 *
 * Run after `npm run build:web`. Reads Vite's manifest (dist/web/.vite/manifest.json) and adds
 * up the entry chunk and everything it imports statically, plus the lazy chunk of the patient
 * face (which holds the module route) and everything that imports statically. Each file is
 * gzipped with node:zlib (default level, as a web server would) and counted once.
 *
 * Exits 1 when the total is 200 kB (200 000 bytes) or more, or when the crisis panel is not
 * part of that JavaScript: it must render offline as soon as the PHQ-9 form is on screen, so it
 * has to be loaded with the form, never fetched later.
 *
 * Usage: node scripts/build-size.mjs [--json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const LIMIT_BYTES = 200_000;
/** The source module of the lazy chunk that serves /patient/program/:moduleId. */
const MODULE_ROUTE_CHUNK = 'pages/patient/PatientFace.tsx';
/** Markers that prove the crisis panel (component and phone numbers) is in the loaded code. */
const CRISIS_MARKERS = ['crisis-panel', '116 123', '22 40 00 40'];

const root = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(root, 'dist', 'web');
const manifestPath = join(webDir, '.vite', 'manifest.json');

if (!existsSync(manifestPath)) {
  console.error(`No Vite manifest at ${manifestPath}. Run \`npm run build:web\` first.`);
  process.exit(2);
}

/** @type {Record<string, { file: string; name?: string; src?: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] }>} */
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
if (!entryKey) {
  console.error('The manifest has no entry chunk.');
  process.exit(2);
}
const entry = manifest[entryKey];
if (!entry.dynamicImports?.includes(MODULE_ROUTE_CHUNK) || !manifest[MODULE_ROUTE_CHUNK]) {
  console.error(
    `The entry does not lazy-load ${MODULE_ROUTE_CHUNK}; update MODULE_ROUTE_CHUNK in scripts/build-size.mjs ` +
      `(dynamic imports: ${(entry.dynamicImports ?? []).join(', ') || 'none'}).`
  );
  process.exit(2);
}

/**
 * Chunks in load order: the start chunk, then its static imports (depth first), each once.
 * @param {string} key
 * @param {string} reason
 * @param {Map<string, string>} seen chunk key → why it is loaded
 */
function collect(key, reason, seen) {
  if (seen.has(key)) return;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`Manifest has no chunk ${key}`);
  seen.set(key, reason);
  for (const imported of chunk.imports ?? []) collect(imported, `static import of ${label(key)}`, seen);
}

/** @param {string} key */
function label(key) {
  const chunk = manifest[key];
  return chunk?.src ?? chunk?.name ?? key;
}

const chunks = new Map();
collect(entryKey, 'entry', chunks);
collect(MODULE_ROUTE_CHUNK, 'lazy chunk of the module route', chunks);

const rows = [...chunks].map(([key, reason]) => {
  const file = manifest[key].file;
  const code = readFileSync(join(webDir, file));
  return { file, reason, raw: code.length, gzip: gzipSync(code).length, code: code.toString('utf8') };
});
const totalRaw = rows.reduce((sum, row) => sum + row.raw, 0);
const totalGzip = rows.reduce((sum, row) => sum + row.gzip, 0);
const allCode = rows.map((row) => row.code).join('\n');
const missingMarkers = CRISIS_MARKERS.filter((marker) => !allCode.includes(marker));
const crisisChunk = rows.find((row) => row.code.includes('crisis-panel'))?.file ?? null;

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

if (process.argv.includes('--json')) {
  console.log(
    JSON.stringify(
      {
        limitBytes: LIMIT_BYTES,
        totalGzipBytes: totalGzip,
        totalRawBytes: totalRaw,
        chunks: rows.map(({ file, reason, raw, gzip }) => ({ file, reason, rawBytes: raw, gzipBytes: gzip })),
        crisisPanelChunk: crisisChunk,
      },
      null,
      2
    )
  );
} else {
  const fileWidth = Math.max(4, ...rows.map((row) => row.file.length));
  const reasonWidth = Math.max(6, ...rows.map((row) => row.reason.length));
  const line = (a, b, c, d) =>
    `${a.padEnd(fileWidth)}  ${b.padEnd(reasonWidth)}  ${c.padStart(10)}  ${d.padStart(10)}`;
  console.log('JavaScript loaded by a patient module page (/patient/program/:moduleId)\n');
  console.log(line('File', 'Loaded as', 'Raw', 'Gzipped'));
  console.log(line('-'.repeat(fileWidth), '-'.repeat(reasonWidth), '-'.repeat(10), '-'.repeat(10)));
  for (const row of rows) console.log(line(row.file, row.reason, kB(row.raw), kB(row.gzip)));
  console.log(line('-'.repeat(fileWidth), '-'.repeat(reasonWidth), '-'.repeat(10), '-'.repeat(10)));
  console.log(line('Total', `${rows.length} files`, kB(totalRaw), kB(totalGzip)));
  console.log(`\nLimit: under ${kB(LIMIT_BYTES)} gzipped. Crisis panel in: ${crisisChunk ?? 'NOT FOUND'}`);
}

let failed = false;
if (totalGzip >= LIMIT_BYTES) {
  console.error(`\nFAIL: ${kB(totalGzip)} gzipped is not under ${kB(LIMIT_BYTES)}.`);
  failed = true;
}
if (missingMarkers.length > 0) {
  console.error(
    `\nFAIL: the crisis panel is not in the JavaScript the module page loads (missing: ${missingMarkers.join(', ')}).`
  );
  failed = true;
}
if (failed) process.exit(1);
if (!process.argv.includes('--json')) console.log('OK');
