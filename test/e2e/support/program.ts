/**
 * Helpers for the program journeys: the module content as the tests read it (from the JSON files,
 * with node:fs), and calls to the API from inside a signed-in page (same origin, the session
 * cookie and the CSRF token from /api/auth/session), for set-up steps that are not under test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { ModuleContent } from '../../../src/domain/program/content-schema.js';

export function moduleContent(moduleId: string, language: 'nb' | 'en' = 'nb'): ModuleContent {
  const file = fileURLToPath(
    new URL(`../../../src/content/modules/${moduleId}.${language}.json`, import.meta.url)
  );
  return JSON.parse(readFileSync(file, 'utf8')) as ModuleContent;
}

export interface ApiResult<T> {
  status: number;
  body: T;
}

/** A JSON request from the page, as the signed-in user. */
export async function apiFromPage<T = unknown>(
  page: Page,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown
): Promise<ApiResult<T>> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string | null };
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (method !== 'GET' && session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
      const response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    { method, path, body }
  );
}

/** The signed-in patient's id. */
export async function patientIdOf(page: Page): Promise<string> {
  const { body } = await apiFromPage<{ user: { patientId: string | null } | null }>(
    page,
    'GET',
    '/api/auth/session'
  );
  const id = body.user?.patientId;
  if (!id) throw new Error('Not signed in as a patient');
  return id;
}

/** Completes a module through the API: every lesson viewed, every quiz question answered correctly. */
export async function completeModuleViaApi(page: Page, patientId: string, moduleId: string): Promise<void> {
  const content = moduleContent(moduleId);
  for (const lesson of content.lessons) {
    const result = await apiFromPage(
      page,
      'POST',
      `/api/patients/${patientId}/program/modules/${moduleId}/lessons/${lesson.id}/view`,
      { secondsSpent: 30 }
    );
    if (result.status !== 200) throw new Error(`Lesson view ${lesson.id}: HTTP ${result.status}`);
  }
  for (const question of content.quiz) {
    const result = await apiFromPage(
      page,
      'POST',
      `/api/patients/${patientId}/program/modules/${moduleId}/quiz/${question.id}?lang=nb`,
      { optionId: question.correctOptionId }
    );
    if (result.status !== 200) throw new Error(`Quiz ${question.id}: HTTP ${result.status}`);
  }
}
