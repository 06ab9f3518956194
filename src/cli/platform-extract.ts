/**
 * `npm run platform:extract -- --out DIR --as USERNAME`: the platform's pseudonymised research
 * extract (server/research/platform-extract.commands.ts) as Parquet files in DIR, made by a
 * researcher who logs in here: the password from GPDEP_PASSWORD or a prompt, and the second-factor
 * code (TOTP or recovery code) from GPDEP_CODE or a prompt when the user has one. The export is
 * written to the audit log in that researcher's name. `--schema-doc` rewrites the generated part of
 * docs/platform-extract.md instead (`--check`: exit 1 if it is stale).
 *
 * It opens the database as the server does: on the embedded database, stop the server first.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/connection.js';
import { withExtractSchema } from '../platform-research/extract/schema-doc.js';
import { loginOnCommandLine } from '../server/auth/command-line.js';
import { secondFactorConfigFor } from '../server/auth/second-factor.js';
import { loadSecrets, readConfig } from '../server/config.js';
import { buildPlatformExtract } from '../server/research/platform-extract.commands.js';

export const USAGE = `Usage: npm run platform:extract -- --out DIR --as USERNAME

Writes the platform's pseudonymised research extract (docs/platform-extract.md) as Parquet files,
one per table, into DIR (made if missing; it must be empty). Researchers only: log in with
--as USERNAME, the password from GPDEP_PASSWORD or typed at the prompt, and the second-factor code
(GPDEP_CODE or the prompt) if the user has one. The export is audited in that user's name.

  --out DIR        where the Parquet files go
  --as USERNAME    the researcher making the extract
  --schema-doc     rewrite the generated tables of docs/platform-extract.md (no login, no data)
  --check          with --schema-doc: exit 1 if the page is stale, change nothing
  -h, --help       this text

On the embedded database, stop the server first: one process may use a data folder.`;

const DOC = 'docs/platform-extract.md';

/** Reads a line from the terminal without echoing it (or a plain line when stdin is not a terminal). */
function prompt(question: string, hidden: boolean): Promise<string> {
  return new Promise((resolvePrompt) => {
    const rl = createInterface({
      input: process.stdin,
      output: process.stderr,
      terminal: process.stdin.isTTY,
    });
    if (hidden && process.stdin.isTTY) {
      const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(question)) write.call(rl, s);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolvePrompt(answer);
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      out: { type: 'string' },
      as: { type: 'string' },
      'schema-doc': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['schema-doc']) {
    const page = readFileSync(DOC, 'utf8');
    // Formatted as `prettier --check .` wants it, so the generated page passes the format check.
    const prettier = await import('prettier');
    const next = await prettier.format(withExtractSchema(page), {
      ...((await prettier.resolveConfig(DOC)) ?? {}),
      parser: 'markdown',
    });
    if (values.check) {
      if (next !== page) throw new Error(`${DOC} is stale: run npm run platform:extract -- --schema-doc`);
      console.log(`${DOC} is up to date.`);
      return;
    }
    writeFileSync(DOC, next, 'utf8');
    console.log(`Wrote ${DOC}.`);
    return;
  }
  if (!values.out) throw new Error('--out DIR is required (see --help)');
  if (!values.as)
    throw new Error('--as USERNAME is required: the researcher making the extract (see --help)');
  if (existsSync(values.out) && readdirSync(values.out).length > 0)
    throw new Error(`--out ${values.out} is not empty: give a new or empty folder`);
  const password = process.env.GPDEP_PASSWORD ?? (await prompt(`Password for ${values.as}: `, true));
  const config = readConfig();
  const secrets = loadSecrets(config);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: join(config.dataDir, 'pglite'),
    allowUnsafeDurability: config.allowUnsafeDurability,
  });
  try {
    const session = await loginOnCommandLine({
      db: database.db,
      secrets,
      secondFactor: secondFactorConfigFor(process.env.PUBLIC_URL ?? `http://localhost:${config.port}`, {
        policy: config.secondFactor.policy,
        rpId: config.secondFactor.rpId,
      }),
      passwordPolicy: config.passwordLogin,
      secondFactorPolicy: config.secondFactor.policy,
      username: values.as,
      password,
      askCode: async () =>
        process.env.GPDEP_CODE ?? (await prompt('Second-factor code (or a recovery code): ', true)),
      role: 'researcher',
      requestId: 'platform:extract (command line)',
    });
    try {
      const extract = await buildPlatformExtract(session.ctx, { dir: resolve(values.out) });
      for (const t of extract.tables)
        console.log(
          `  ${t.table.padEnd(16)} ${String(t.rows).padStart(7)} rows  ${(t.bytes / 1024).toFixed(0).padStart(6)} KB`
        );
      const ms = extract.ms;
      console.log(
        `Extract written to ${extract.dir} in ${(ms.total / 1000).toFixed(2)} s (read ${(ms.load / 1000).toFixed(2)} s, ` +
          `build ${(ms.build / 1000).toFixed(2)} s, Parquet ${(ms.write / 1000).toFixed(2)} s) on ${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}; audited as ${values.as}.`
      );
      console.log(
        'Person-level pseudonymised data: use only under the study approval (docs/platform-extract.md).'
      );
    } finally {
      await session.close();
    }
  } finally {
    await database.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`platform:extract: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
