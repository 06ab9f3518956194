/**
 * Chromium (Debian's, driven by playwright-core) for the journeys, one browser per test file.
 * Each session gets its own context (own cookies), and records Content-Security-Policy violations
 * and uncaught page errors so a test can assert there were none, and the text its pages send
 * (support/sent-text.ts), which the suite's last test looks for in the server's log.
 */
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { recordSentText } from './sent-text.js';

export const DEMO_PASSWORD = 'gpdep-demo-2026';

export function baseUrl(): string {
  return inject('baseUrl');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
  /** CSP violations and uncaught errors seen so far. */
  problems: string[];
  close: () => Promise<void>;
}

export async function newSession(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; locale?: string } = {}
): Promise<Session> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'nb-NO',
    timezoneId: 'Europe/Oslo',
  });
  recordSentText(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems, close: () => context.close() };
}

/** WCAG 2.1 A/AA scan; returns the serious and critical violations, printed for the log. */
export async function seriousAxeViolations(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length > 0) {
    console.error(
      `axe violations on ${label}:\n` +
        serious
          .map(
            (v) =>
              `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
              v.nodes
                .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ')}`)
                .join('\n')
          )
          .join('\n')
    );
  }
  return serious.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
