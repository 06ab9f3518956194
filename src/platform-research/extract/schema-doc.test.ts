import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXTRACT_TABLES } from './schema.js';
import { withExtractSchema } from './schema-doc.js';

describe('docs/platform-extract.md', () => {
  it('holds the tables as schema.ts defines them (npm run platform:extract -- --schema-doc)', async () => {
    const page = readFileSync('docs/platform-extract.md', 'utf8');
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig('docs/platform-extract.md')) ?? {};
    expect(await prettier.format(withExtractSchema(page), { ...options, parser: 'markdown' })).toBe(page);
    for (const t of EXTRACT_TABLES) expect(page).toContain(`### ${t.name}`);
  });

  it('never names an identifying column', () => {
    const columns = EXTRACT_TABLES.flatMap((t) => t.columns.map((c) => c.name));
    expect(columns.filter((c) => /name|national|fodsels|note|text|email|phone|_at$/.test(c))).toEqual([]);
  });
});
