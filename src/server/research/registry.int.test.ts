import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replicateFixture, writeFixture } from '../../registry/fixtures/write.js';
import { TINY } from '../../registry/fixtures/tiny.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let root: string;

// The registry files are written once and only read; each test has an app (and runs) of its own.
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gpdep-registry-api-'));
  await writeFixture(join(root, 'data'), replicateFixture(TINY, 40));
});
beforeEach(async () => {
  const reportsDir = mkdtempSync(join(root, 'reports-'));
  t = await createTestApp({ registry: { dataDir: join(root, 'data'), reportsDir } });
});
afterEach(async () => t?.close());

describe('the researcher runs the registry analysis from the web app', () => {
  it('runs one analysis at a time with progress, then serves the report sandboxed', async () => {
    const researcher = await t.login('researcher');
    expect((await t.call(researcher, 'GET', '/api/research/registry')).json()).toMatchObject({
      dataPresent: true,
      run: null,
    });
    expect((await t.call(researcher, 'GET', '/api/research/registry/funnels')).statusCode).toBe(404);
    const started = await t.call(researcher, 'POST', '/api/research/registry/runs');
    expect(started.statusCode).toBe(202);
    expect((await t.call(researcher, 'POST', '/api/research/registry/runs')).statusCode).toBe(409);
    let status = (await t.call(researcher, 'GET', '/api/research/registry')).json();
    const deadline = Date.now() + 60_000;
    while (status.run.status === 'running' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await t.call(researcher, 'GET', '/api/research/registry')).json();
    }
    expect(status.run).toMatchObject({ status: 'done', error: null });
    expect(status.run.summary.episodes).toBeGreaterThan(0);
    const report = await t.call(researcher, 'GET', '/api/research/registry/report');
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-security-policy']).toContain('sandbox');
    expect(report.headers['content-security-policy']).toContain("default-src 'none'");
    expect(report.body).not.toMatch(/<script/i);
    expect(report.body).toContain('Table 7. Variation in care between GPs');
    expect(report.body).toContain('Table 8. Equity');
    // The same run in Norwegian bokmål (rapport.html); an unknown language is a 400 naming the field.
    const rapport = await t.call(researcher, 'GET', '/api/research/registry/report?lang=nb');
    expect(rapport.statusCode).toBe(200);
    expect(rapport.headers['content-security-policy']).toContain('sandbox');
    expect(rapport.body).toContain('<html lang="nb"');
    expect(rapport.body).not.toContain('Table 7. Variation in care between GPs');
    const unknown = await t.call(researcher, 'GET', '/api/research/registry/report?lang=de');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('lang');
    // The tiny fixture has too few GPs for a funnel plot; the route answers with an empty list.
    const funnels = await t.call(researcher, 'GET', '/api/research/registry/funnels');
    expect(funnels.statusCode).toBe(200);
    expect(funnels.json()).toEqual({ funnels: [] });
  });

  it('is for researchers only', async () => {
    const gp = await t.login('gp1');
    expect((await t.call(gp, 'GET', '/api/research/registry')).statusCode).toBe(403);
    expect((await t.call(gp, 'GET', '/api/research/registry/report')).statusCode).toBe(403);
    expect((await t.call(gp, 'GET', '/api/research/registry/funnels')).statusCode).toBe(403);
  });
});
