/**
 * The import rules of .dependency-cruiser.cjs (docs/architecture.md) catch what they are meant to:
 * run on a small fixture tree with a domain file importing the server and an import cycle, the
 * check fails and names both. (`npm run lint:deps` runs the same check on src/.) And the route rule
 * of eslint.config.js refuses a route that reaches the database or the audit log itself.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
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
    expect(run.stdout).toContain('surveys-without-web-server: src/surveys/weights.ts → src/server/app.ts');
    expect(run.stdout).toContain(
      'qualitative-without-web-server: src/qualitative/export.ts → src/server/app.ts'
    );
    expect(run.stdout).toMatch(/no-circular: src\/db\/(a|b)\.ts/);
  }, 60_000);

  it('fails on a route that queries the database, audits by hand or reads request.actor', async () => {
    // Linted as if it were a route file in the tree (eslint.config.js, the *.routes.ts block).
    const route = [
      "import { sql } from 'kysely';",
      "import { auditedTransaction } from '../audit/audit-log.js';",
      'export async function handler(app: any, request: any) {',
      "  const rows = await app.db.selectFrom('patients').selectAll().execute();",
      '  await auditedTransaction(request, new Date(), async () => undefined);',
      '  return { rows, who: request.actor, now: sql`now()` };',
      '}',
      '',
    ].join('\n');
    // The text is not a file of the TypeScript project: lint it without the type-aware rules.
    const eslint = new ESLint({
      cwd: ROOT,
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: {
          '@typescript-eslint/no-floating-promises': 'off',
          '@typescript-eslint/no-unnecessary-type-assertion': 'off',
          '@typescript-eslint/switch-exhaustiveness-check': 'off',
        },
      },
    });
    const [result] = await eslint.lintText(route, {
      filePath: resolve(ROOT, 'src/server/example/example.routes.ts'),
    });
    const messages = result!.messages.map((m) => m.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("'kysely' import is restricted"),
        expect.stringContaining('Audit through request.data'),
        expect.stringContaining('Routes do not touch the database'),
        expect.stringContaining('Use request.data.actor'),
      ])
    );
    // The same text outside a route file is not a route's business.
    const [elsewhere] = await eslint.lintText(route, {
      filePath: resolve(ROOT, 'src/server/example/example.queries.ts'),
    });
    expect(elsewhere!.messages.filter((m) => m.message.includes('Routes do not touch'))).toEqual([]);
  }, 60_000);
});
