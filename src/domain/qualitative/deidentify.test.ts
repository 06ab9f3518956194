import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptedReplacements,
  applyReplacements,
  deidentifyTranscript,
  isFullyReviewed,
  mapOffset,
  mapRange,
  proposeReplacements,
  proposeSpeakerLabels,
  speakerReplacements,
  replacementKey,
  resolveOverlaps,
  reviewStatus,
  tableAfterReview,
  type Decisions,
  type Participant,
  type Proposal,
} from './deidentify.js';
import { FIRST_NAMES, MUNICIPALITIES, OTHER_PLACES, SURNAMES } from './deidentify-names.js';
import { parsePlainText } from './transcript.js';

const KARI: Participant = { pseudonym: 'GP-03', names: ['Kari', 'Nordmann'] };
const TROND: Participant = { pseudonym: 'Lege A', names: ['Trond', 'Bakkevold'] };

const brief = (ps: Proposal[]): Array<[string, string, string]> =>
  ps.map((p) => [p.original, p.kind, p.replacement]);
const acceptAll = (ps: readonly Proposal[]): Decisions =>
  Object.fromEntries(ps.map((p) => [p.id, { action: 'accept' }]));

describe('proposals: hand-worked Norwegian examples', () => {
  it('finds participants (any case, genitive), other people, places, workplaces, ages and dates', () => {
    const text =
      'GP-03 fortalte at Karis mor, Guri Fjellheim (45 år), bor i Fjellbygda. Hun jobber på Sentrum legekontor i ' +
      'Hamar og har gått til DPS Nordre Aasen siden 12. mars 2024. Jeg snakket med Ole Bakketeig og NAV Grorud ' +
      '12.03.2024; han er født i 1978. Ring 922 33 444. Hun er en 45-åring fra Lillestrøm kommune. Vi møttes på ' +
      'Kaffebrenneriet med Hansens kone og KARI NORDMANN.';
    const { proposals, table } = proposeReplacements({
      text,
      participants: [KARI],
      extraNames: ['Guri Fjellheim'],
    });
    expect(brief(proposals)).toEqual([
      ['Karis', 'participant', '[GP-03]s'], // genitive -s kept on the label
      ['Guri Fjellheim', 'person', '[Person A]'], // the study's extra name, whole
      ['45 år', 'age', '[Alder]'],
      ['Fjellbygda', 'place', '[Sted 1]'], // not listed: capitalised after "i", low confidence
      ['Sentrum legekontor', 'workplace', '[Arbeidssted 1]'],
      ['Hamar', 'place', '[Kommune 1]'], // bundled municipality
      ['DPS Nordre Aasen', 'workplace', '[Arbeidssted 2]'],
      ['12. mars 2024', 'date', '[Dato]'],
      ['Ole Bakketeig', 'person', '[Person B]'], // listed first name + capitalised word
      ['NAV Grorud', 'workplace', '[Arbeidssted 3]'],
      ['12.03.2024', 'date', '[Dato]'],
      ['1978', 'date', '[Dato]'], // a year after "i"
      ['922 33 444', 'number', '[Nummer]'],
      ['45-åring', 'age', '[Alder]'],
      ['Lillestrøm', 'place', '[Kommune 2]'], // "kommune" itself stays
      ['Kaffebrenneriet', 'place', '[Sted 2]'],
      ['Hansens', 'person', '[Person C]s'], // listed surname, genitive
      ['KARI NORDMANN', 'participant', '[GP-03]'], // case-insensitive
    ]);
    expect(proposals.find((p) => p.original === 'Fjellbygda')!.confidence).toBe('low');
    expect(proposals.find((p) => p.original === 'KARI NORDMANN')!.confidence).toBe('low');
    // every proposal's offsets slice its original out of the text
    for (const p of proposals) expect(text.slice(p.start, p.end)).toBe(p.original);
    // new labels are in the table (fixed labels such as [Alder] are not), keyed without genitive
    expect(table.map((e) => [e.key, e.replacement])).toEqual([
      ['participant:GP-03', '[GP-03]'],
      ['guri fjellheim', '[Person A]'],
      ['fjellbygda', '[Sted 1]'],
      ['sentrum legekontor', '[Arbeidssted 1]'],
      ['hamar', '[Kommune 1]'],
      ['dps nordre aasen', '[Arbeidssted 2]'],
      ['ole bakketeig', '[Person B]'],
      ['nav grorud', '[Arbeidssted 3]'],
      ['lillestrøm', '[Kommune 2]'],
      ['kaffebrenneriet', '[Sted 2]'],
      ['hansen', '[Person C]'],
    ]);
  });

  it('leaves ordinary lower-case words, sentence-initial words and harmless proper nouns alone', () => {
    const text =
      'Hun sa at det var tungt. Etter det bodde hun i Norge og brukte Facebook. Jeg har time hos legen.';
    expect(proposeReplacements({ text, participants: [KARI] }).proposals).toEqual([]);
  });

  it('marks a capitalised word inside a sentence as a low-confidence proposal', () => {
    const { proposals } = proposeReplacements({
      text: 'Jeg ringte til Skogholt etter møtet.',
      participants: [],
    });
    expect(brief(proposals)).toEqual([['Skogholt', 'capitalised', '[Navn 1]']]);
    expect(proposals[0]!.confidence).toBe('low');
  });

  it('gives a listed name starting a sentence low confidence ("Per dag …")', () => {
    const { proposals } = proposeReplacements({
      text: 'Per dag blir det mye. Da kom Per.',
      participants: [],
    });
    expect(proposals.map((p) => [p.original, p.start, p.confidence, p.replacement])).toEqual([
      ['Per', 0, 'low', '[Person A]'],
      ['Per', 29, 'high', '[Person A]'], // the same original, the same label
    ]);
  });

  it('takes an unknown capitalised word before a listed surname as part of the name', () => {
    const { proposals } = proposeReplacements({ text: 'Jeg traff Gudrun Hansen.', participants: [] });
    expect(brief(proposals)).toEqual([['Gudrun Hansen', 'person', '[Person A]']]);
  });

  it('workplaces named by their place, and a named hospital', () => {
    const text = 'Hun var på legekontoret på Tynset, så på St. Olavs hospital.';
    expect(brief(proposeReplacements({ text, participants: [] }).proposals)).toEqual([
      ['legekontoret på Tynset', 'workplace', '[Arbeidssted 1]'],
      ['St. Olavs hospital', 'workplace', '[Arbeidssted 2]'],
    ]);
  });

  it('schools and other workplaces named as compounds, and the upper secondary school by its place', () => {
    // Found missing by the demo material (src/qualitative/demo): only the place was proposed.
    const text =
      'Han gikk på Nordbyen ungdomsskole, så Sjøvik videregående, og møtte henne på Elvestad helsehus.';
    expect(brief(proposeReplacements({ text, participants: [] }).proposals)).toEqual([
      ['Nordbyen ungdomsskole', 'workplace', '[Arbeidssted 1]'],
      ['Sjøvik videregående', 'workplace', '[Arbeidssted 2]'],
      ['Elvestad helsehus', 'workplace', '[Arbeidssted 3]'],
    ]);
  });

  it('ages in words and English ages, but not durations or times', () => {
    const text =
      'Hun var femten år, broren en tolvåring og mora førtifem år gammel. For to år siden ble hun syk. ' +
      "I'm 38 and he is 41. I'm 5 minutes away.";
    expect(
      proposeReplacements({ text, participants: [] })
        .proposals.filter((p) => p.kind === 'age')
        .map((p) => p.original)
    ).toEqual(['femten år', 'tolvåring', 'førtifem år gammel', '38', '41']);
  });

  it('English ordinal dates', () => {
    const text = 'It started on the 12th of May, and again on 3rd of June 2021.';
    expect(
      proposeReplacements({ text, participants: [] })
        .proposals.filter((p) => p.kind === 'date')
        .map((p) => p.original)
    ).toEqual(['12th of May', '3rd of June 2021']);
  });

  it('dates in several forms; a year only in context; a sentence-final period is not swallowed', () => {
    const text =
      'Det var 3. januar, eller 2024-01-03, eller 3/1/24, i mars 2023 eller March 5, 2023. Tallet 2019 står alene.';
    expect(brief(proposeReplacements({ text, participants: [] }).proposals).map((p) => p[0])).toEqual([
      '3. januar',
      '2024-01-03',
      '3/1/24',
      'mars 2023',
      'March 5, 2023',
    ]);
  });

  it('uses the study table: the same original gets the same label in every transcript', () => {
    const first = proposeReplacements({ text: 'Vi snakket om Ingrid og Bodø.', participants: [] });
    expect(brief(first.proposals)).toEqual([
      ['Ingrid', 'person', '[Person A]'],
      ['Bodø', 'place', '[Kommune 1]'],
    ]);
    const table = tableAfterReview([], first, acceptAll(first.proposals));
    const second = proposeReplacements({
      text: 'Ingrids datter flyttet fra Bodø til Molde med Ola.',
      participants: [],
      table,
    });
    expect(brief(second.proposals)).toEqual([
      ['Ingrids', 'person', '[Person A]s'], // from the table, genitive added
      ['Bodø', 'place', '[Kommune 1]'],
      ['Molde', 'place', '[Kommune 2]'], // the series continues after the table's highest
      ['Ola', 'person', '[Person B]'],
    ]);
  });

  it('continues letters past Z (Z, AA, AB)', () => {
    const table = [{ key: 'x', original: 'X', kind: 'person' as const, replacement: '[Person Z]' }];
    const { proposals } = proposeReplacements({ text: 'Da kom Ola og Per.', participants: [], table });
    expect(proposals.map((p) => p.replacement)).toEqual(['[Person AA]', '[Person AB]']);
  });

  it('never proposes labels already in the text', () => {
    const text = 'Da kom [Person A] og [GP-03]s mor fra [Kommune 1] i [Dato].';
    expect(proposeReplacements({ text, participants: [KARI] }).proposals).toEqual([]);
  });

  it('two participants are kept apart, each by pseudonym', () => {
    const text = 'Trond sa til Kari: Bakkevold og Nordmann er enige.';
    expect(brief(proposeReplacements({ text, participants: [KARI, TROND] }).proposals)).toEqual([
      ['Trond', 'participant', '[Lege A]'],
      ['Kari', 'participant', '[GP-03]'],
      ['Bakkevold', 'participant', '[Lege A]'],
      ['Nordmann', 'participant', '[GP-03]'],
    ]);
  });
});

describe('review', () => {
  const { proposals, table } = proposeReplacements({
    text: 'Kari møtte Ingrid i Hamar da hun var 45 år.',
    participants: [KARI],
  });

  it('is the gate: open for coding only when every proposal has a valid decision', () => {
    expect(proposals).toHaveLength(4);
    const [p0, p1, p2, p3] = proposals.map((p) => p.id) as [string, string, string, string];
    expect(isFullyReviewed(proposals, {})).toBe(false);
    const some: Decisions = {
      [p0]: { action: 'accept' },
      [p1]: { action: 'edit', replacement: '[Datteren]' },
    };
    expect(reviewStatus(proposals, some)).toEqual({ total: 4, decided: 2, pending: [p2, p3] });
    const invalidEdit: Decisions = {
      ...some,
      [p2]: { action: 'reject' },
      [p3]: { action: 'edit', replacement: '  ' },
    };
    expect(isFullyReviewed(proposals, invalidEdit)).toBe(false);
    const done: Decisions = { ...invalidEdit, [p3]: { action: 'edit', replacement: '[40-årene]' } };
    expect(isFullyReviewed(proposals, done)).toBe(true);
    expect(isFullyReviewed([], {})).toBe(true);

    // accepted and edited are written, the rejected place stays
    const out = applyReplacements(
      'Kari møtte Ingrid i Hamar da hun var 45 år.',
      acceptedReplacements(proposals, done)
    );
    expect(out.text).toBe('[GP-03] møtte [Datteren] i Hamar da hun var [40-årene].');

    // the stored table keeps accepted and edited labels, not the rejected place's tentative one
    const stored = tableAfterReview([], { proposals, table }, done);
    expect(stored.map((e) => [e.key, e.replacement])).toEqual([
      ['participant:GP-03', '[GP-03]'],
      ['ingrid', '[Datteren]'],
      ['45 år', '[40-årene]'],
    ]);
    // …so the next transcript uses the edits
    const next = proposeReplacements({ text: 'Ingrids barn, 45 år.', participants: [KARI], table: stored });
    expect(next.proposals.map((p) => p.replacement)).toEqual(['[Datteren]s', '[40-årene]']);
  });
});

describe('applying replacements and mapping offsets', () => {
  it('hand-worked: replaces and maps offsets before, inside and after', () => {
    //           0         1         2
    //           0123456789012345678901234
    const text = 'Kari bor i Hamar nå.';
    const { text: out, map } = applyReplacements(text, [
      { start: 0, end: 4, replacement: '[GP-03]' }, // +3
      { start: 11, end: 16, replacement: '[Kommune 1]' }, // +6
    ]);
    expect(out).toBe('[GP-03] bor i [Kommune 1] nå.');
    expect(mapOffset(map, 5, 'start')).toBe(8); // "bor" moves by 3
    expect(mapOffset(map, 17, 'start')).toBe(26); // "nå" moves by 9
    expect(mapOffset(map, 2, 'start')).toBe(0); // inside "Kari": the label's start…
    expect(mapOffset(map, 2, 'end')).toBe(7); // …or its end
    expect(mapRange(map, { start: 2, end: 8 })).toEqual({ start: 0, end: 11 }); // "ri bor" → "[GP-03] bor"
    expect(map.newLength).toBe(out.length);
  });

  it('resolves overlapping replacements longest first', () => {
    const { text } = applyReplacements('Kari Nordmann kom', [
      { start: 0, end: 4, replacement: '[A]' },
      { start: 0, end: 13, replacement: '[B]' },
      { start: 5, end: 13, replacement: '[C]' },
    ]);
    expect(text).toBe('[B] kom');
  });

  it('refuses a range outside the text', () => {
    expect(() => applyReplacements('abc', [{ start: 2, end: 9, replacement: 'x' }])).toThrow(RangeError);
  });

  it('de-identifies a transcript and keeps its turns consistent', () => {
    const t = parsePlainText(
      'Intervjuer: Hvor jobber du?\nGP-03: Jeg er Kari, på Sentrum legekontor i Hamar.'
    );
    const { proposals } = proposeReplacements({ text: t.text, participants: [KARI] });
    const { transcript, map } = deidentifyTranscript(
      t,
      acceptedReplacements(proposals, acceptAll(proposals))
    );
    expect(transcript.turns.map((x) => x.text)).toEqual([
      'Hvor jobber du?',
      'Jeg er [GP-03], på [Arbeidssted 1] i [Kommune 1].',
    ]);
    for (const turn of transcript.turns) expect(transcript.text.slice(turn.start, turn.end)).toBe(turn.text);
    expect(map.edits).toHaveLength(3);
  });
});

describe('speaker labels', () => {
  it('keeps pseudonyms and roles, turns participants’ names into pseudonyms, and other names into labels', () => {
    const t = parsePlainText(
      'Intervjuer: Velkommen.\nGP-03: Takk.\nKari: Jeg igjen.\nOle Hansen: Hei.\nLege A: Hei.\nTrond Bakkevold: Ja.'
    );
    const table = [
      { key: 'ole hansen', original: 'Ole Hansen', kind: 'person' as const, replacement: '[Person D]' },
    ];
    const speakers = proposeSpeakerLabels(t, [KARI, TROND], table);
    expect(speakers.map((s) => [s.speaker, s.replacement])).toEqual([
      ['Intervjuer', 'Intervjuer'], // a role: nothing to replace
      ['GP-03', 'GP-03'], // already a pseudonym
      ['Kari', 'GP-03'], // a participant's first name
      ['Ole Hansen', '[Person D]'], // from the study table, as in the text
      ['Lege A', 'Lege A'],
      ['Trond Bakkevold', 'Lege A'], // a participant's full name
    ]);
    const decisions: Decisions = Object.fromEntries(speakers.map((s) => [s.id, { action: 'accept' }]));
    const gate = proposeReplacements({ text: t.text, participants: [KARI, TROND] }).proposals;
    // the gate covers text and speaker labels together
    expect(isFullyReviewed([...gate, ...speakers], decisions)).toBe(gate.length === 0);
    const out = deidentifyTranscript(t, [], speakerReplacements(speakers, decisions)).transcript;
    expect(out.turns.map((x) => x.speaker)).toEqual([
      'Intervjuer',
      'GP-03',
      'GP-03',
      '[Person D]',
      'Lege A',
      'Lege A',
    ]);
  });
});

describe('properties', () => {
  const span = (len: number) =>
    fc
      .tuple(fc.nat({ max: len }), fc.nat({ max: len }), fc.constantFrom('[X]', '', '[Person A]', 'ab'))
      .filter(([a, b]) => a !== b)
      .map(([a, b, replacement]) => ({ start: Math.min(a, b), end: Math.max(a, b), replacement }));

  it('after resolution no two spans overlap, the input order does not matter, and every dropped span met a kept one at least as long', () => {
    fc.assert(
      fc.property(fc.array(span(30), { maxLength: 12 }), fc.infiniteStream(fc.nat()), (spans, rnd) => {
        const kept = resolveOverlaps(spans);
        for (let i = 1; i < kept.length; i++) expect(kept[i]!.start).toBeGreaterThanOrEqual(kept[i - 1]!.end);
        const shuffled = [...spans].sort(() => (rnd.next().value % 3) - 1);
        expect(resolveOverlaps(shuffled).map((s) => [s.start, s.end, s.replacement])).toEqual(
          kept.map((s) => [s.start, s.end, s.replacement])
        );
        for (const s of spans) {
          if (kept.includes(s)) continue;
          const blockers = kept.filter((k) => s.start < k.end && k.start < s.end);
          expect(blockers.some((k) => k.end - k.start >= s.end - s.start)).toBe(true);
        }
      }),
      { numRuns: 1000 }
    );
  });

  it('applying then mapping: every character outside a replacement keeps its place in the new text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.array(span(30), { maxLength: 6 }),
        (text, raw) => {
          const spans = raw.filter((s) => s.end <= text.length);
          const { text: out, map } = applyReplacements(text, spans);
          const kept = resolveOverlaps(spans);
          for (let i = 0; i < text.length; i++) {
            if (kept.some((k) => i >= k.start && i < k.end)) continue;
            expect(out[mapOffset(map, i, 'start')]).toBe(text[i]);
          }
          expect(mapOffset(map, text.length, 'end')).toBe(out.length);
          // mapped ranges never run backwards and stay inside the new text
          for (let a = 0; a <= text.length; a += 3) {
            const r = mapRange(map, { start: a, end: text.length });
            expect(r.start).toBeLessThanOrEqual(r.end);
            expect(r.end).toBeLessThanOrEqual(out.length);
          }
        }
      ),
      { numRuns: 1000 }
    );
  });

  const word = fc.oneof(
    fc.constantFrom(
      'jeg',
      'hun',
      'sa',
      'at',
      'det',
      'var',
      'i',
      'på',
      'fra',
      'år',
      'kommune',
      'legekontor',
      'DPS',
      'NAV'
    ),
    fc.constantFrom(
      '45',
      '12.',
      'mars',
      '2019',
      '12.03.2024',
      '922',
      '33',
      'Skogholt',
      'Brattli',
      'Kari',
      'karis'
    ),
    fc.constantFrom(
      ...FIRST_NAMES.slice(0, 30),
      ...SURNAMES.slice(0, 30),
      ...MUNICIPALITIES.slice(0, 30),
      ...OTHER_PLACES.slice(0, 10)
    )
  );
  const sentence = fc
    .tuple(fc.array(word, { minLength: 1, maxLength: 10 }), fc.constantFrom('.', ',', '?', ':', ''))
    .map(([ws, end]) => ws.join(' ') + end);
  const textArb = fc.array(sentence, { minLength: 1, maxLength: 5 }).map((ss) => ss.join(' '));

  it('proposals never overlap, slice back to their originals, and the same original gets the same label', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const { proposals } = proposeReplacements({ text, participants: [KARI], extraNames: ['Brattli'] });
        const byOriginal = new Map<string, string>();
        proposals.forEach((p, i) => {
          expect(text.slice(p.start, p.end)).toBe(p.original);
          if (i > 0) expect(p.start).toBeGreaterThanOrEqual(proposals[i - 1]!.end);
          const key = replacementKey(p.original);
          if (byOriginal.has(key)) expect(p.replacement).toBe(byOriginal.get(key));
          byOriginal.set(key, p.replacement);
        });
      }),
      { numRuns: 500 }
    );
  });

  it('never throws on arbitrary text and arbitrary names (regex characters included), and its proposals slice back', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }),
        (text, names, extraNames) => {
          const { proposals } = proposeReplacements({
            text,
            participants: [{ pseudonym: 'P-1', names }],
            extraNames,
          });
          proposals.forEach((p, i) => {
            expect(text.slice(p.start, p.end)).toBe(p.original);
            if (i > 0) expect(p.start).toBeGreaterThanOrEqual(proposals[i - 1]!.end);
          });
        }
      ),
      { numRuns: 1000 }
    );
  });

  it('a parsed transcript, de-identified with every proposal accepted, keeps its turns consistent', () => {
    const turnArb = fc.tuple(fc.constantFrom('GP-03', 'Intervjuer', 'Lege A'), sentence);
    fc.assert(
      fc.property(fc.array(turnArb, { minLength: 1, maxLength: 6 }), (turns) => {
        const t = parsePlainText(turns.map(([who, said]) => `${who}: ${said}`).join('\n'));
        const { proposals } = proposeReplacements({ text: t.text, participants: [KARI] });
        const { transcript } = deidentifyTranscript(t, acceptedReplacements(proposals, acceptAll(proposals)));
        expect(transcript.turns.map((x) => x.speaker)).toEqual(t.turns.map((x) => x.speaker));
        transcript.turns.forEach((turn, i) => {
          expect(transcript.text.slice(turn.start, turn.end)).toBe(turn.text);
          if (i > 0) expect(transcript.text.slice(transcript.turns[i - 1]!.end, turn.start)).toBe('\n\n');
        });
      }),
      { numRuns: 300 }
    );
  });

  it('is idempotent: proposing again on the de-identified text (with the table) finds nothing more', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const first = proposeReplacements({ text, participants: [KARI], extraNames: ['Brattli'] });
        const decisions = acceptAll(first.proposals);
        const { text: out } = applyReplacements(text, acceptedReplacements(first.proposals, decisions));
        const table = tableAfterReview([], first, decisions);
        const again = proposeReplacements({
          text: out,
          participants: [KARI],
          extraNames: ['Brattli'],
          table,
        });
        expect(again.proposals).toEqual([]);
        // and proposing on the original again with the stored table gives the same labels
        const repeat = proposeReplacements({ text, participants: [KARI], extraNames: ['Brattli'], table });
        expect(repeat.proposals.map((p) => p.replacement)).toEqual(first.proposals.map((p) => p.replacement));
      }),
      { numRuns: 500 }
    );
  });
});
