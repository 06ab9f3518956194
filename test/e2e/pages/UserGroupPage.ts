import type { Locator, Page } from 'playwright-core';

/** The user group's start page and one shared synthesis (pages/user-group/UserGroupFace.tsx). */
export class UserGroupPage {
  readonly heading: Locator;
  readonly shareLinks: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.shareLinks = page.getByRole('main').getByRole('link', { name: /versjon \d+/ });
  }

  async open(): Promise<this> {
    await this.page.goto('/user-group');
    await this.heading.waitFor();
    return this;
  }

  /** A paragraph's section on a share's page, by its number (1-based). */
  paragraph(number: number): {
    section: Locator;
    text: Locator;
    comments: Locator;
    commentField: Locator;
    send: Locator;
  } {
    const section = this.page.getByRole('region', { name: new RegExp(`^Avsnitt ${number}:`) });
    return {
      section,
      text: section.getByRole('paragraph').first(),
      comments: section.getByRole('listitem'),
      commentField: section.getByLabel(`Din kommentar til avsnitt ${number}`),
      send: section.getByRole('button', { name: 'Send kommentar' }),
    };
  }
}
