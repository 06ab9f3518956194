/**
 * The program's module content, loaded from the JSON files beside this one (validated by
 * `npm run content:check` and by the tests). Imported as modules so the compiled server carries
 * them and nothing is read from disk at request time.
 */
import type { Locale } from '../domain/instruments/phq9.js';
import type { ModuleContent } from '../domain/program/content-schema.js';
import { MODULE_IDS, type ModuleId, type ModuleOutline } from '../domain/program/progress.js';
import m1en from './modules/m1.en.json' with { type: 'json' };
import m1nb from './modules/m1.nb.json' with { type: 'json' };
import m2en from './modules/m2.en.json' with { type: 'json' };
import m2nb from './modules/m2.nb.json' with { type: 'json' };
import m3en from './modules/m3.en.json' with { type: 'json' };
import m3nb from './modules/m3.nb.json' with { type: 'json' };
import m4en from './modules/m4.en.json' with { type: 'json' };
import m4nb from './modules/m4.nb.json' with { type: 'json' };
import m5en from './modules/m5.en.json' with { type: 'json' };
import m5nb from './modules/m5.nb.json' with { type: 'json' };

export const MODULE_CONTENT: Readonly<Record<ModuleId, Readonly<Record<Locale, ModuleContent>>>> = {
  m1: { nb: m1nb as ModuleContent, en: m1en as ModuleContent },
  m2: { nb: m2nb as ModuleContent, en: m2en as ModuleContent },
  m3: { nb: m3nb as ModuleContent, en: m3en as ModuleContent },
  m4: { nb: m4nb as ModuleContent, en: m4en as ModuleContent },
  m5: { nb: m5nb as ModuleContent, en: m5en as ModuleContent },
};

/** Lesson and quiz ids per module (identical in both languages; the content check ensures it). */
export const MODULE_OUTLINES: readonly ModuleOutline[] = MODULE_IDS.map((id) => ({
  id,
  lessonIds: MODULE_CONTENT[id].nb.lessons.map((l) => l.id),
  quizIds: MODULE_CONTENT[id].nb.quiz.map((q) => q.id),
}));

export function moduleContent(id: ModuleId, locale: Locale): ModuleContent {
  return MODULE_CONTENT[id][locale];
}
