// Copies the files the compiled server reads beside its modules (tsc copies only .ts output):
// the qualitative demo material (src/qualitative/demo: transcripts the demo study imports).
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ASSETS = [
  { from: 'src/qualitative/demo', to: 'dist/server/qualitative/demo', endings: ['.txt', '.vtt', '.srt'] },
];

for (const { from, to, endings } of ASSETS) {
  mkdirSync(to, { recursive: true });
  const files = readdirSync(from).filter((name) => endings.some((e) => name.endsWith(e)));
  for (const name of files) cpSync(join(from, name), join(to, name));
  console.log(`copy-server-assets: ${files.length} files from ${from} to ${to}`);
}
