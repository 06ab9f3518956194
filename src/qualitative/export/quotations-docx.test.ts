import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { quotationsDocx, synthesisDocx } from './quotations-docx.js';

/** The document's text as Word would show it, read back by an independent reader (mammoth). */
async function textOf(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return value;
}

describe('quotationsDocx', () => {
  it('writes each code with its quotations, attributions and line numbers, in Norwegian', async () => {
    const bytes = await quotationsDocx({
      title: 'Sitater: Tid og struktur',
      language: 'nb',
      generatedOn: '2026-12-04',
      sections: [
        {
          heading: 'Tid i konsultasjonen',
          description: 'Når legen sier at tiden ikke strekker til.',
          quotations: [
            {
              text: 'Jeg rekker det ikke på tjue minutter.',
              speaker: 'Lege A',
              source: 'Fokusgruppe 1',
              lines: { from: 14, to: 16 },
            },
            // Characters XML must escape, and Norwegian letters, survive the round trip.
            {
              text: 'Det er «mye» & <travelt> på mandager, særlig før ferien.',
              speaker: null,
              source: 'Case-2',
              lines: { from: 3, to: 3 },
            },
          ],
        },
        { heading: 'Planlagte oppfølginger', quotations: [] },
      ],
    });
    const text = await textOf(bytes);
    const expected = [
      'Sitater: Tid og struktur',
      'Laget 2026-12-04 fra en avidentifisert analyse.',
      'Tid i konsultasjonen',
      'Når legen sier at tiden ikke strekker til.',
      '«Jeg rekker det ikke på tjue minutter.» (Lege A, Fokusgruppe 1, linje 14–16)',
      '«Det er «mye» & <travelt> på mandager, særlig før ferien.» (Case-2, linje 3)',
      'Planlagte oppfølginger',
      'Ingen sitater.',
    ];
    // In this order, each on its own paragraph.
    expect(text.split('\n').filter((l) => l.trim())).toEqual(expected);
    // The document is marked as Norwegian bokmål for Word's spelling check.
    const styles = strFromU8(unzipSync(bytes)['word/styles.xml']!);
    expect(styles).toContain('w:val="nb-NO"');
  });
});

describe('synthesisDocx', () => {
  it('writes the synthesis per theme with its golden quotations, in English', async () => {
    const bytes = await synthesisDocx({
      title: 'Synthesis',
      language: 'en',
      generatedOn: '2026-12-04',
      themes: [
        {
          heading: 'Knowing the program',
          paragraphs: ['The GPs knew little of the modules, and the manual was hard to find.'],
          quotations: [
            { text: 'The manual is somewhere in the mess.', speaker: 'GP-03', source: 'Focus group 2' },
          ],
        },
      ],
    });
    expect((await textOf(bytes)).split('\n').filter((l) => l.trim())).toEqual([
      'Synthesis',
      'Made 2026-12-04 from a de-identified analysis.',
      'Knowing the program',
      'The GPs knew little of the modules, and the manual was hard to find.',
      '“The manual is somewhere in the mess.” (GP-03, Focus group 2)',
    ]);
    expect(strFromU8(unzipSync(bytes)['word/styles.xml']!)).toContain('w:val="en-GB"');
  });
});
