/**
 * `npm run registry:import -- --mapping mapping.json --in DIR --out DIR`
 * Converts a registry delivery (CSV/DSV or Parquet) to the platform's Parquet schema; prints the
 * rows imported and rejected per file with reasons and examples; all rejects are written to
 * `<out>/_rejects/<table>.csv`. Exits 1 with a clear message on a wrong encoding, delimiter or a
 * missing column, and 2 when rows were rejected.
 */
import { formatImportReport, importDelivery, ImportError } from '../import/importer.js';

function parse(argv: string[]) {
  const a: { mapping?: string; input?: string; out?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[++i];
    if (v === undefined) throw new ImportError(`${k} needs a value`);
    if (k === '--mapping') a.mapping = v;
    else if (k === '--in') a.input = v;
    else if (k === '--out') a.out = v;
    else throw new ImportError(`Unknown option ${k}`);
  }
  if (!a.mapping || !a.input || !a.out)
    throw new ImportError('Usage: registry:import -- --mapping mapping.json --in DIR --out DIR');
  return a as { mapping: string; input: string; out: string };
}

async function main() {
  const a = parse(process.argv.slice(2));
  const t0 = performance.now();
  const report = await importDelivery({
    mapping: a.mapping,
    input: a.input,
    out: a.out,
    log: (m) => console.log(m),
  });
  console.log(formatImportReport(report));
  console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${a.out}`);
  if (report.rejected > 0) process.exitCode = 2;
}

main().catch((e: unknown) => {
  console.error(e instanceof ImportError ? `Import stopped: ${e.message}` : e);
  process.exit(1);
});
