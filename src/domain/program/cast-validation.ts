/**
 * Checks the stories in the modules against the cast list (src/content/cast.json): a recurring
 * character keeps one age, occupation and origin in every module and both languages. Used by
 * `npm run content:check` and the tests.
 *
 * What is checked, for every example block in every module file:
 * - a person whose first name is on the cast list declares `characterId` (and the right one);
 * - the person line starts with the cast's line for that language (extra context may follow
 *   after ", " but holds no numbers);
 * - the age in the person line and any age in the story ("15-åring", "45 years old") is the cast age;
 * - any occupation word in the person line, and any origin word in the person line or the story,
 *   is one of the character's own (the words are listed per language in the cast file);
 * - the character appears in exactly the modules the cast list names;
 * - a first name used in stories of two or more modules is on the cast list.
 * Occupation words are not looked for in the story text: common verbs ("lærer", learns) collide.
 */
import { Value } from 'typebox/value';
import { Cast, type CastMember, type ModuleContent } from './content-schema.js';
import type { ContentProblem } from './content-validation.js';

export const CAST_FILE = 'cast.json';

type Language = 'nb' | 'en';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether `text` mentions `word`: as a whole word, at the end of a compound ("elektrikerlærling"
 * mentions "lærling") and with a common ending ("snekkeren", "teachers").
 */
export function mentions(text: string, word: string): boolean {
  const pattern = new RegExp(
    `(?<![\\p{L}])\\p{L}*${escapeRegExp(word.toLowerCase())}(?:e|en|er|ene|erne|s|es)?(?![\\p{L}])`,
    'u'
  );
  return pattern.test(text.toLowerCase());
}

const AGE_PATTERNS: Record<Language, RegExp> = {
  nb: /(\d+)\s*-?\s*åring|(\d+) år gammel|fylte (\d+)|fyller (\d+)/gu,
  en: /(\d+)-year-old|(\d+) years? old|aged (\d+)|turned (\d+)|turns (\d+)/gu,
};

/** Ages stated in a text ("som 15-åring", "45 years old"). */
export function agesIn(text: string, language: Language): number[] {
  return [...text.matchAll(AGE_PATTERNS[language])].map((m) =>
    Number(m.slice(1).find((g) => g !== undefined))
  );
}

const firstNameOf = (person: string) => person.split(',')[0]!.trim();

interface Story {
  file: string;
  module: ModuleContent['id'];
  language: Language;
  path: string;
  person: string;
  text: string;
  characterId: string | undefined;
}

function storiesOf(file: string, m: ModuleContent): Story[] {
  return m.lessons.flatMap((lesson, i) =>
    lesson.blocks.flatMap((block, j) =>
      block.type === 'example'
        ? [
            {
              file,
              module: m.id,
              language: m.language,
              path: `/lessons/${i}/blocks/${j}`,
              person: block.person,
              text: block.text,
              characterId: block.characterId,
            },
          ]
        : []
    )
  );
}

/** Problems in the cast list itself, and in every story against it. `modules` maps file name to content. */
export function validateCast(cast: unknown, modules: ReadonlyMap<string, ModuleContent>): ContentProblem[] {
  if (!Value.Check(Cast, cast)) {
    return [...Value.Errors(Cast, cast)].slice(0, 20).map((e) => ({
      file: CAST_FILE,
      path: e.instancePath || '/',
      problem: e.message,
    }));
  }
  const problems: ContentProblem[] = [];
  const add = (file: string, path: string, problem: string) => problems.push({ file, path, problem });
  const byId = new Map<string, CastMember>();
  const byName = new Map<string, CastMember>();

  cast.characters.forEach((c, i) => {
    if (byId.has(c.id)) add(CAST_FILE, `/characters/${i}`, `duplicate id "${c.id}"`);
    if (byName.has(c.name)) add(CAST_FILE, `/characters/${i}`, `two characters are called ${c.name}`);
    byId.set(c.id, c);
    byName.set(c.name, c);
    for (const language of ['nb', 'en'] as const) {
      const t = c[language];
      const where = `/characters/${i}/${language}`;
      const words = cast.factWords[language];
      if (!t.person.startsWith(`${c.name}, ${c.age}, `))
        add(CAST_FILE, `${where}/person`, `must start with "${c.name}, ${c.age}, "`);
      if (!t.person.includes(t.occupation))
        add(CAST_FILE, `${where}/person`, `does not state the occupation "${t.occupation}"`);
      if (!words.occupations.some((w) => mentions(t.occupation, w)))
        add(
          CAST_FILE,
          `${where}/occupation`,
          'holds none of the occupation words, so the check could not see it'
        );
      if (t.origin !== undefined) {
        if (!t.person.includes(t.origin))
          add(CAST_FILE, `${where}/person`, `does not state the origin "${t.origin}"`);
        if (!words.origins.some((w) => mentions(t.origin!, w)))
          add(CAST_FILE, `${where}/origin`, 'holds none of the origin words, so the check could not see it');
      }
    }
  });

  const stories = [...modules].flatMap(([file, m]) => storiesOf(file, m));
  const seenIn = new Map<string, Set<string>>(); // character id → "m1.nb", …

  for (const story of stories) {
    const name = firstNameOf(story.person);
    const declared = story.characterId === undefined ? undefined : byId.get(story.characterId);
    if (story.characterId !== undefined && !declared) {
      add(story.file, story.path, `characterId "${story.characterId}" is not on the cast list`);
      continue;
    }
    if (declared && declared.name !== name) {
      add(
        story.file,
        story.path,
        `characterId "${declared.id}" is ${declared.name}, but the story is about ${name}`
      );
      continue;
    }
    const c = declared ?? byName.get(name);
    if (!c) continue;
    if (!declared) add(story.file, story.path, `${name} is on the cast list: declare characterId "${c.id}"`);
    const seen = seenIn.get(c.id) ?? new Set<string>();
    seen.add(`${story.module}.${story.language}`);
    seenIn.set(c.id, seen);

    const own = c[story.language];
    const words = cast.factWords[story.language];
    const ownSource = [own.person, own.occupation, own.origin ?? ''].join(' ');
    const ownOccupations = words.occupations.filter((w) => mentions(ownSource, w));
    const ownOrigins = words.origins.filter((w) => mentions(ownSource, w));
    const castSays = `the cast list says "${own.person}"`;

    const age = /\d+/.exec(story.person);
    if (age && Number(age[0]) !== c.age)
      add(story.file, story.path, `${name} is ${age[0]} here, but ${c.age} on the cast list`);
    const extra = story.person.startsWith(own.person) ? story.person.slice(own.person.length) : null;
    if (extra === null || (extra !== '' && !extra.startsWith(', ')))
      add(story.file, story.path, `person "${story.person}" must start with the cast's line: ${castSays}`);
    else if (/\d/.test(extra))
      add(story.file, story.path, `numbers after the cast's line belong in the cast list: "${extra}"`);

    for (const w of words.occupations)
      if (mentions(story.person, w) && !ownOccupations.includes(w))
        add(story.file, story.path, `${name} is described as "${w}" here, but ${castSays}`);
    for (const w of words.origins)
      if ((mentions(story.person, w) || mentions(story.text, w)) && !ownOrigins.includes(w))
        add(story.file, story.path, `${name}'s origin is "${w}" here, but ${castSays}`);
    for (const stated of [...agesIn(story.text, story.language), ...agesIn(extra ?? '', story.language)])
      if (stated !== c.age)
        add(story.file, story.path, `the story says ${name} is ${stated}, but ${c.age} on the cast list`);
    if (!c.modules.includes(story.module))
      add(
        story.file,
        story.path,
        `${name} appears in ${story.module}, but the cast list names ${c.modules.join(', ')}`
      );
  }

  // Listed modules must have the story, in both languages (only for the files given).
  const present = new Set([...modules.values()].map((m) => `${m.id}.${m.language}`));
  cast.characters.forEach((c, i) => {
    for (const module of c.modules)
      for (const language of ['nb', 'en'] as const) {
        const key = `${module}.${language}`;
        if (present.has(key) && !seenIn.get(c.id)?.has(key))
          add(
            CAST_FILE,
            `/characters/${i}/modules`,
            `${c.name} is listed in ${module}, but ${key}.json has no story about them`
          );
      }
  });

  // A first name in stories of two or more modules is a recurring character: it belongs on the list.
  const modulesByName = new Map<string, Set<string>>();
  for (const story of stories) {
    const name = firstNameOf(story.person);
    if (byName.has(name)) continue;
    const set = modulesByName.get(name) ?? new Set<string>();
    set.add(story.module);
    modulesByName.set(name, set);
  }
  for (const [name, set] of modulesByName)
    if (set.size > 1)
      add(
        CAST_FILE,
        '/characters',
        `${name} appears in ${[...set].sort().join(', ')}: a recurring character belongs on the cast list`
      );

  return problems;
}
