#!/usr/bin/env node
// Adds up the test summaries of several CI steps and prints the closing line CI reads.
//
//   node scripts/ci/sum-summaries.mjs LABEL:EXIT_CODE:FILE [LABEL:EXIT_CODE:FILE ...]
//
// FILE is the JSON a step wrote through TEST_SUMMARY_FILE ({"passed":N,"failed":N,"skipped":N};
// .ci/run writes the same shape for typecheck and lint). EXIT_CODE is the step's exit status.
//   - no file, an empty or unreadable one, or counts that are not whole numbers: the step crashed
//     before reporting, counted as 1 failed;
//   - a non-zero exit code with no failure in the file (e.g. a crash after reporting, "no test
//     files found"): counted as 1 failed.
// Prints one line per step, then, as the very last line, `N passed, N failed, N skipped`.
// Exit status: 0 only if nothing failed and at least one test passed; 1 otherwise; 2 on bad usage.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: sum-summaries.mjs LABEL:EXIT_CODE:FILE [...]');
  process.exit(2);
}

const isCount = (value) => Number.isSafeInteger(value) && value >= 0;

function readSummary(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { problem: 'no summary file (crashed before reporting)' };
  }
  if (text.trim() === '') return { problem: 'empty summary file (crashed while reporting)' };
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: 'unreadable summary file (not JSON)' };
  }
  const { passed, failed, skipped = 0 } = json ?? {};
  if (!isCount(passed) || !isCount(failed) || !isCount(skipped)) {
    return { problem: `summary file without whole-number counts: ${text.trim().slice(0, 200)}` };
  }
  return { passed, failed, skipped };
}

const total = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
let usageError = false;

for (const arg of args) {
  const match = /^([^:]+):(-?\d+):(.+)$/.exec(arg);
  if (!match) {
    console.error(`sum-summaries: expected LABEL:EXIT_CODE:FILE, got ${JSON.stringify(arg)}`);
    usageError = true;
    continue;
  }
  const [, label, code, file] = match;
  const exitCode = Number(code);
  const summary = readSummary(file);
  let { passed = 0, failed = 0, skipped = 0 } = summary;
  const notes = [];
  if (summary.problem) {
    failed = 1;
    notes.push(`${summary.problem}, exit ${exitCode}: counted as 1 failed`);
  } else if (exitCode !== 0 && failed === 0) {
    failed = 1;
    notes.push(`exit ${exitCode} with no failed test reported: counted as 1 failed`);
  }
  total.passed += passed;
  total.failed += failed;
  total.skipped += skipped;
  const status = failed > 0 ? 'FAIL' : 'ok  ';
  lines.push(
    `  ${status} ${label.padEnd(12)} ${passed} passed, ${failed} failed, ${skipped} skipped${notes.length ? `  (${notes.join('; ')})` : ''}`
  );
}

if (usageError) process.exit(2);

console.log('per step:');
for (const line of lines) console.log(line);
if (total.passed === 0 && total.failed === 0) console.log('no test ran (or passed) at all: the run fails');
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
