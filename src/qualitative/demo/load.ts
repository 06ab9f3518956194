/**
 * Reads the demo sources that sit next to this module. The files are found through
 * `import.meta.url`, so they load both from `src/` run by tsx and from any copy of this folder
 * that keeps the files beside the module.
 */
import { readFile } from 'node:fs/promises';
import { parseTranscript, type Transcript } from '../../domain/qualitative/transcript.js';
import { DEMO_SOURCES, type DemoSourceManifest } from './manifest.js';

export interface DemoSource {
  manifest: DemoSourceManifest;
  /** The file's text as stored (UTF-8). */
  raw: string;
  transcript: Transcript;
}

export async function loadDemoSource(manifest: DemoSourceManifest): Promise<DemoSource> {
  const raw = await readFile(new URL(`./${manifest.file}`, import.meta.url), 'utf8');
  const transcript = parseTranscript(raw, { format: manifest.format, fileName: manifest.file });
  return { manifest, raw, transcript };
}

export async function loadDemoSources(): Promise<DemoSource[]> {
  return Promise.all(DEMO_SOURCES.map(loadDemoSource));
}
