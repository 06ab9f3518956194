/**
 * Vitest's own order (failed first, then slowest first), except that files named `*.last.*.test.ts`
 * run after every other file: the browser suite's log check (test/e2e/server-log.last.e2e.test.ts)
 * must see the log of every journey. The browser project runs its files one at a time, in this order.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isLast = (spec: TestSpecification) => /\.last\.[^/]*test\.ts$/.test(spec.moduleId);

export default class LastFileSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((spec) => !isLast(spec)), ...sorted.filter(isLast)];
  }
}
