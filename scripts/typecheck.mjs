// Type-checks the three TypeScript programs (server and tools, browser tests, web app) side by
// side instead of one after another: each is its own tsc process, so on two or more cores the
// wall time is the slowest program's, not the sum. Exits non-zero if any of them fails.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const projects = ['tsconfig.json', 'test/e2e/tsconfig.json', 'src/web/tsconfig.json'];

const results = await Promise.all(
  projects.map(
    (project) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
        child.on('exit', (code) => resolve({ project, code: code ?? 1 }));
      })
  )
);
const failed = results.filter((r) => r.code !== 0);
for (const { project } of failed) console.error(`typecheck: ${project} has errors`);
process.exit(failed.length > 0 ? 1 : 0);
