/** The cast list check: every story about a recurring character agrees with src/content/cast.json. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agesIn, mentions, validateCast } from './cast-validation.js';
import type { Cast, LessonBlock, ModuleContent } from './content-schema.js';

const contentDir = fileURLToPath(new URL('../../content/', import.meta.url));
const loadCast = () => JSON.parse(readFileSync(`${contentDir}cast.json`, 'utf8')) as Cast;
const loadModule = (file: string) =>
  JSON.parse(readFileSync(`${contentDir}modules/${file}`, 'utf8')) as ModuleContent;
const FILES = [1, 2, 3, 4, 5].flatMap((n) => [`m${n}.nb.json`, `m${n}.en.json`]);
const allModules = () => new Map(FILES.map((f) => [f, loadModule(f)]));

type Example = Extract<LessonBlock, { type: 'example' }>;
function exampleOf(m: ModuleContent, name: string): Example {
  for (const lesson of m.lessons)
    for (const block of lesson.blocks)
      if (block.type === 'example' && block.person.startsWith(`${name},`)) return block;
  throw new Error(`no story about ${name} in ${m.id}.${m.language}`);
}

/** All modules, with one story changed. */
function withStory(file: string, name: string, change: (block: Example) => void) {
  const modules = allModules();
  change(exampleOf(modules.get(file)!, name));
  return modules;
}
const problemsOf = (modules: Map<string, ModuleContent>, cast: unknown = loadCast()) =>
  validateCast(cast, modules).map((p) => `${p.file} ${p.problem}`);

describe('the cast list', () => {
  it('agrees with every story in all five modules, in both languages', () => {
    expect(validateCast(loadCast(), allModules())).toEqual([]);
  });

  it('names each recurring character once, with the modules they appear in', () => {
    const cast = loadCast();
    expect(cast.characters.map((c) => c.name).sort()).toEqual([
      'Amina',
      'Amir',
      'Ingrid',
      'Jonas',
      'Kari',
      'Lene',
      'Per',
    ]);
    expect(cast.characters.find((c) => c.id === 'jonas')).toMatchObject({
      age: 19,
      modules: ['m1', 'm2', 'm3', 'm4'],
    });
  });

  it('fails on the contradictions the clinical review found', () => {
    // Amir from Iraq in module 1, from Iran in module 2
    expect(
      problemsOf(
        withStory('m2.nb.json', 'Amir', (b) => {
          b.person = 'Amir, 41, bussjåfør, født i Iran';
        })
      )
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^m2\.nb\.json person "Amir, 41, bussjåfør, født i Iran" must start with the cast's line/
        ),
        expect.stringMatching(/^m2\.nb\.json Amir's origin is "Iran" here/),
      ])
    );
    // Ingrid 68, 67 and 71
    expect(
      problemsOf(
        withStory('m4.en.json', 'Ingrid', (b) => {
          b.person = 'Ingrid, 71, retired and widowed';
        })
      )
    ).toEqual(expect.arrayContaining(['m4.en.json Ingrid is 71 here, but 68 on the cast list']));
    // Jonas the pupil turned apprentice
    expect(
      problemsOf(
        withStory('m4.nb.json', 'Jonas', (b) => {
          b.person = 'Jonas, 19, lærling, bor alene for første gang';
        })
      )
    ).toEqual(
      expect.arrayContaining([expect.stringMatching(/^m4\.nb\.json Jonas is described as "lærling" here/)])
    );
    // Kari the 67-year-old teacher, who is a 57-year-old care worker elsewhere
    expect(
      problemsOf(
        withStory('m3.en.json', 'Kari', (b) => {
          b.person = 'Kari, 67, retired teacher';
        })
      )
    ).toEqual(
      expect.arrayContaining([
        'm3.en.json Kari is 67 here, but 57 on the cast list',
        expect.stringMatching(/^m3\.en\.json Kari is described as "teacher" here/),
        expect.stringMatching(/^m3\.en\.json Kari is described as "retired" here/),
      ])
    );
  });

  it('fails on an age in the story text, or a number added after the cast line', () => {
    expect(
      problemsOf(
        withStory('m1.nb.json', 'Per', (b) => {
          b.text = `${b.text} Han ble 53 år gammel i fjor.`;
        })
      )
    ).toEqual(['m1.nb.json the story says Per is 53, but 52 on the cast list']);
    expect(
      problemsOf(
        withStory('m1.en.json', 'Lene', (b) => {
          b.person = 'Lene, 45, warehouse worker, on sick leave for 8 weeks';
        })
      )
    ).toEqual([expect.stringMatching(/^m1\.en\.json numbers after the cast's line belong in the cast list/)]);
  });

  it('fails when a cast member is used without characterId, or with the wrong one', () => {
    expect(
      problemsOf(
        withStory('m3.nb.json', 'Jonas', (b) => {
          delete b.characterId;
        })
      )
    ).toEqual(['m3.nb.json Jonas is on the cast list: declare characterId "jonas"']);
    expect(
      problemsOf(
        withStory('m3.nb.json', 'Jonas', (b) => {
          b.characterId = 'kari';
        })
      )
    ).toEqual(
      expect.arrayContaining(['m3.nb.json characterId "kari" is Kari, but the story is about Jonas'])
    );
  });

  it('fails when a character is in a module the list does not name, or missing from one it does', () => {
    const cast = loadCast();
    cast.characters.find((c) => c.id === 'ingrid')!.modules = ['m1', 'm2'];
    expect(problemsOf(allModules(), cast)).toEqual([
      'm4.nb.json Ingrid appears in m4, but the cast list names m1, m2',
      'm4.en.json Ingrid appears in m4, but the cast list names m1, m2',
    ]);
    const cast2 = loadCast();
    cast2.characters.find((c) => c.id === 'per')!.modules.push('m5');
    expect(problemsOf(allModules(), cast2)).toEqual([
      'cast.json Per is listed in m5, but m5.nb.json has no story about them',
      'cast.json Per is listed in m5, but m5.en.json has no story about them',
    ]);
  });

  it('fails when a one-off name turns up in a second module: recurring characters belong on the list', () => {
    const modules = withStory('m5.nb.json', 'Emma', (b) => {
      b.person = 'Trond, 52, elektriker';
    });
    expect(problemsOf(modules)).toEqual([
      'cast.json Trond appears in m3, m5: a recurring character belongs on the cast list',
    ]);
  });

  it('refuses a cast file that does not fit its schema', () => {
    expect(validateCast({ characters: [] }, allModules())[0]).toMatchObject({ file: 'cast.json' });
  });
});

describe('finding facts in text', () => {
  it('finds occupation and origin words whole, in compounds and with endings, not inside other words', () => {
    expect(mentions('Jonas, 19, elektrikerlærling', 'lærling')).toBe(true);
    expect(mentions('snekkeren kom', 'snekker')).toBe(true);
    expect(mentions('kom fra Irak', 'Irak')).toBe(true);
    expect(mentions('kom fra Irak', 'Iran')).toBe(false);
    expect(mentions('hun er iransk', 'Iran')).toBe(false);
    expect(mentions('from Somalia', 'Somali')).toBe(false);
    expect(mentions('two teachers', 'teacher')).toBe(true);
  });

  it('reads ages written the usual ways', () => {
    expect(agesIn('kom hit som 15-åring, og er nå 41 år gammel', 'nb')).toEqual([15, 41]);
    expect(agesIn('a 45-year-old who turned 46 in May', 'en')).toEqual([45, 46]);
    expect(agesIn('jobbet i over 30 år', 'nb')).toEqual([]);
  });
});
