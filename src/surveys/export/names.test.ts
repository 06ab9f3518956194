import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, NameRegistry, freePrefix, isValidName, sanitizeNamePart } from './names.js';

describe('names for R, Stata and SPSS', () => {
  it('maps linkIds to lower-case a-z, 0-9 and _ names', () => {
    const names = new NameRegistry();
    expect(names.name('own-talk-therapy')).toBe('own_talk_therapy');
    expect(names.name('nurse-tasks__followup')).toBe('nurse_tasks__followup');
    // Norwegian letters spelt out, other accents dropped.
    expect(names.name('Årsak-før-Ærend')).toBe('aarsak_foer_aerend');
    expect(names.name('café')).toBe('cafe');
    // Not starting with a letter: a leading q. Runs of underscores cut to two, none at the ends.
    expect(names.name('1a')).toBe('q1a');
    expect(names.name('--x---y--')).toBe('x__y');
    expect(names.name('***')).toBe('q');
  });

  it('keeps reserved words of Stata, SPSS and R out', () => {
    const names = new NameRegistry();
    expect(names.name('if')).toBe('if_');
    expect(names.name('WITH')).toBe('with_');
    expect(names.name('str12')).toBe('str12_');
    expect(names.name('function')).toBe('function_');
    expect(names.name('to')).toBe('to_');
  });

  it('cuts to 32 characters, keeping a wave suffix whole, and makes names unique', () => {
    const names = new NameRegistry();
    const long = 'how-often-do-you-follow-up-patients-with-depression';
    const first = names.name(long);
    expect(first).toBe('how_often_do_you_follow_up_patie');
    expect(first).toHaveLength(MAX_NAME_LENGTH);
    // Same first 32 characters: `_2` takes the last two places.
    expect(names.name(`${long}-again`)).toBe('how_often_do_you_follow_up_pat_2');
    // A wave suffix stays whole; the base gives way.
    expect(names.name(long, '6m')).toBe('how_often_do_you_follow_up_pa_6m');
    expect(names.name(long, 'baseline')).toBe('how_often_do_you_follow_baseline');
    expect(names.name(`${long}-again`, 'baseline')).toBe('how_often_do_you_foll_2_baseline');
    // A name reserved before (a meta column) pushes an item with that name aside.
    const meta = new NameRegistry();
    meta.reserve('status');
    expect(meta.name('status')).toBe('status_2');
  });

  it('gives valid, unique names for any column names (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.option(fc.string({ maxLength: 20 }))),
          {
            maxLength: 40,
          }
        ),
        (columns) => {
          const names = new NameRegistry();
          const out = columns.map(([base, wave]) => names.name(base, wave ?? undefined));
          for (const name of out) expect(isValidName(name), name).toBe(true);
          expect(new Set(out).size).toBe(out.length);
        }
      )
    );
  });

  it('sanitises a part without forcing a leading letter', () => {
    expect(sanitizeNamePart('6m')).toBe('6m');
    expect(sanitizeNamePart('12 måneder')).toBe('12_maaneder');
  });

  it('finds a prefix for temporary variables that no name starts with', () => {
    expect(freePrefix(['a', 'b'])).toBe('raw_');
    expect(freePrefix(['raw_x', 'b'])).toBe('raw0_');
    expect(freePrefix(['raw_x', 'raw0_y'])).toBe('raw00_');
  });
});
