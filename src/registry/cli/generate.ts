/**
 * `npm run registry:generate -- --persons N --years 2009-2016 --seed S --out DIR [--delivery DIR]`
 * Writes the synthetic linked extract as Parquet (one folder per table), truth.json and
 * calibration.json, prints the calibration table, and with --delivery also the registry-shaped
 * delivery (semicolon-separated latin1 files, date-shifted, with mapping.json) for the importer.
 */
import { generateRegistry } from '../generate/generate.js';
import { formatCalibration } from '../generate/calibration.js';
import { writeDelivery } from '../delivery/delivery.js';

export interface GenerateArgs {
  persons: number;
  firstYear: number;
  lastYear: number;
  seed: number;
  out: string;
  delivery?: string;
  chunkPersons?: number;
  quiet: boolean;
}

export function parseGenerateArgs(argv: string[]): GenerateArgs {
  const args: GenerateArgs = {
    persons: 50_000,
    firstYear: 2009,
    lastYear: 2016,
    seed: 1,
    out: '',
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--persons':
        args.persons = Number(value().replace(/[_,]/g, ''));
        break;
      case '--years': {
        const m = /^(\d{4})(?:-(\d{4}))?$/.exec(value());
        if (!m) throw new Error('--years must look like 2009-2016');
        args.firstYear = Number(m[1]);
        args.lastYear = Number(m[2] ?? m[1]);
        break;
      }
      case '--seed':
        args.seed = Number(value());
        break;
      case '--out':
        args.out = value();
        break;
      case '--delivery':
        args.delivery = value();
        break;
      case '--chunk-persons':
        args.chunkPersons = Number(value());
        break;
      case '--quiet':
        args.quiet = true;
        break;
      default:
        throw new Error(`Unknown option ${a}`);
    }
  }
  if (!args.out) throw new Error('--out DIR is required');
  if (!Number.isInteger(args.seed)) throw new Error('--seed must be an integer');
  return args;
}

async function main() {
  const args = parseGenerateArgs(process.argv.slice(2));
  const t0 = performance.now();
  const log = args.quiet ? () => {} : (m: string) => console.log(m);
  const result = await generateRegistry({
    persons: args.persons,
    firstYear: args.firstYear,
    lastYear: args.lastYear,
    seed: args.seed,
    out: args.out,
    chunkPersons: args.chunkPersons,
    log,
  });
  console.log(formatCalibration(result.calibration));
  if (args.delivery) {
    const t1 = performance.now();
    const d = await writeDelivery({ data: args.out, out: args.delivery, seed: args.seed, log });
    console.log(
      `Delivery: ${d.files.length} files in ${args.delivery} (${((performance.now() - t1) / 1000).toFixed(1)} s)`
    );
  }
  console.log(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${args.out}`);
  if (!result.calibration.allOk) process.exitCode = 3;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
