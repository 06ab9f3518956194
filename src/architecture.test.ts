/**
 * The import rules of .dependency-cruiser.cjs (docs/architecture.md) catch what they are meant to:
 * run on a small fixture tree with a domain file importing the server and an import cycle, the
 * check fails and names both. (`npm run lint:deps` runs the same check on src/.)
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

describe('the architecture check', () => {
  it('fails on a forbidden import and on a cycle, naming the rule', () => {
    const run = spawnSync(
      process.execPath,
      [
        resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        '--config',
        resolve(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'err',
      ],
      { cwd: resolve(ROOT, 'test/fixtures/boundaries'), encoding: 'utf8' }
    );
    expect(run.status).not.toBe(0);
    expect(run.stdout).toContain('domain-is-pure: src/domain/rule.ts → src/server/app.ts');
    expect(run.stdout).toMatch(/no-circular: src\/db\/(a|b)\.ts/);
  }, 60_000);
});
