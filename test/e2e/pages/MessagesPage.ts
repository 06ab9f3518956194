import type { Locator, Page } from 'playwright-core';
import { AppHeader } from './AppHeader.js';

/**
 * A message page (issue 17): the patient's /patient/messages, or the care team's
 * /gp/patients/:id/messages and /guide/patients/:id/messages. Threads, a new message, the safety
 * words and crisis numbers; on the staff page also the shared exercises with their comment boxes.
 */
export class MessagesPage {
  readonly header: AppHeader;
  readonly heading: Locator;
  readonly safety: Locator;
  readonly threads: Locator;
  readonly sharedEntries: Locator;

  constructor(readonly page: Page) {
    this.header = new AppHeader(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.safety = page.getByTestId('message-safety');
    this.threads = page.getByTestId('thread');
    this.sharedEntries = page.getByTestId('staff-shared-entry');
  }

  async open(path = '/patient/messages'): Promise<this> {
    await this.page.goto(path);
    await this.safety.waitFor();
    await this.threads.first().or(this.page.getByTestId('no-threads')).waitFor();
    return this;
  }

  async crisisLinks(): Promise<string[]> {
    return this.page
      .getByTestId('message-crisis-numbers')
      .getByRole('link')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  }

  async startThread(subject: string, body: string): Promise<void> {
    await this.page.getByLabel('Emne', { exact: true }).fill(subject);
    await this.page.getByLabel('Melding', { exact: true }).fill(body);
    await this.page.getByRole('button', { name: 'Send', exact: true }).click();
    await this.thread(subject).waitFor();
  }

  thread(subject: string): Locator {
    return this.threads.filter({ has: this.page.getByRole('heading', { name: subject, exact: true }) });
  }

  messages(thread: Locator): Locator {
    return thread.getByTestId('thread-message');
  }

  async reply(thread: Locator, body: string): Promise<void> {
    const before = await this.messages(thread).count();
    await thread.getByLabel('Skriv et svar').fill(body);
    await thread.getByRole('button', { name: 'Svar', exact: true }).click();
    await this.messages(thread).nth(before).waitFor();
  }

  sharedEntry(exerciseTitle: string): Locator {
    return this.sharedEntries.filter({ hasText: exerciseTitle }).first();
  }
}
