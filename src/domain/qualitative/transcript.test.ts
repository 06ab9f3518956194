import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeTranscriptBytes,
  detectTranscriptFormat,
  firstInvalidUtf8,
  parsePlainText,
  parseSrt,
  parseTranscript,
  parseWebVtt,
  readHeadingLine,
  readSpeakerLabel,
  TranscriptError,
  type Transcript,
} from './transcript.js';

/** Every turn's offsets slice its text back out of the full text, and turns are `\n\n` apart. */
function expectConsistent(t: Transcript): void {
  t.turns.forEach((turn, i) => {
    expect(turn.index).toBe(i);
    expect(t.text.slice(turn.start, turn.end)).toBe(turn.text);
    if (i > 0) expect(t.text.slice(t.turns[i - 1]!.end, turn.start)).toBe('\n\n');
    for (const seg of turn.segments ?? []) {
      expect(seg.start).toBeGreaterThanOrEqual(turn.start);
      expect(seg.end).toBeLessThanOrEqual(turn.end);
    }
  });
  if (t.turns.length > 0) {
    expect(t.turns[0]!.start).toBe(0);
    expect(t.turns[t.turns.length - 1]!.end).toBe(t.text.length);
  }
}

function errorOf(fn: () => unknown): TranscriptError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TranscriptError) return e;
    throw e;
  }
  throw new Error('expected a TranscriptError');
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('speaker labels', () => {
  it.each([
    ['GP-03: Jeg synes det er vanskelig.', 'GP-03', 'Jeg synes det er vanskelig.'],
    ['Intervjuer: Hva tenker du om det?', 'Intervjuer', 'Hva tenker du om det?'],
    ['Lege A: Ja.', 'Lege A', 'Ja.'],
    ['Helper-07:\tNei', 'Helper-07', 'Nei'],
    ['p1: hei', 'p1', 'hei'],
    ['Dr. Berg: Godt spørsmål', 'Dr. Berg', 'Godt spørsmål'],
    ['Ørjan: Æsj, så ærlig', 'Ørjan', 'Æsj, så ærlig'],
    ['Moderator:', 'Moderator', ''],
  ])('%s', (line, speaker, rest) => {
    expect(readSpeakerLabel(line)).toEqual({ speaker, rest });
  });

  it.each([
    'Hun sa: ja, det gjør vi', // a lower-case word: speech, not a label
    'Det var sånn: vi ringte',
    '10:30 var møtet', // a clock
    'GP-03 sa at: nei', // lower-case word
    'En Veldig Lang Rekke Av Ord: ja', // five words
    'Jeg:ja', // no space after the colon
  ])('not a label: %s', (line) => {
    expect(readSpeakerLabel(line)).toBeNull();
  });
});

describe('heading lines', () => {
  it.each([
    ['Speaker 1  0:03', 'Speaker 1', 3000],
    ['Lege A 00:01:23', 'Lege A', 83_000],
    ['00:00:03 Intervjuer', 'Intervjuer', 3000],
    ['[01:02:03.5] GP-03', 'GP-03', 3_723_500],
  ])('%s', (line, speaker, startMs) => {
    expect(readHeadingLine(line)).toEqual({ speaker, startMs });
  });

  it.each(['Vi kom kl 10:30', '10:30', 'Lege A: 10:30', 'Hun sa 0:03'])('not a heading: %s', (line) => {
    expect(readHeadingLine(line)).toBeNull();
  });
});

describe('plain text', () => {
  it('reads turns, keeps lines without a label in the previous turn, and times in brackets', () => {
    const t = parsePlainText(
      [
        'Fokusgruppe 2, legekontor i Østlandet',
        '',
        '[00:01:23] Intervjuer: Hvordan møter dere pasienter med depresjon?',
        'GP-03: Jeg spør alltid om søvn.',
        'Og så spør jeg om matlyst, sånn',
        '   rent konkret.   ',
        '',
        '',
        '',
        'Det er viktig.',
        '(00:02:05) Lege A: Enig – særlig hos de unge.',
      ].join('\r\n')
    );
    expect(t.format).toBe('txt');
    expect(t.turns.map((x) => [x.speaker, x.startMs, x.text])).toEqual([
      [null, undefined, 'Fokusgruppe 2, legekontor i Østlandet'],
      ['Intervjuer', 83_000, 'Hvordan møter dere pasienter med depresjon?'],
      // leading spaces kept inside a turn are removed per line; three blank lines become one
      [
        'GP-03',
        undefined,
        'Jeg spør alltid om søvn.\nOg så spør jeg om matlyst, sånn\nrent konkret.\n\nDet er viktig.',
      ],
      ['Lege A', 125_000, 'Enig – særlig hos de unge.'],
    ]);
    expectConsistent(t);
    // the first turn is 37 characters, then the separator, so the second turn starts at 39
    expect(t.turns[1]!.start).toBe(39);
  });

  it('reads heading lines of a label and a time, as transcription tools write them', () => {
    const t = parsePlainText(
      [
        'Speaker 1  0:03',
        'Hei, og velkommen.',
        '',
        'Lege A 00:01:23',
        'Takk.',
        'Vi Er Klare',
        '00:02:00 Intervjuer',
        'Fint.',
      ].join('\n')
    );
    expect(t.turns.map((x) => [x.speaker, x.startMs, x.text])).toEqual([
      ['Speaker 1', 3000, 'Hei, og velkommen.'],
      // "Vi Er Klare" has no time, so it is speech, not a heading
      ['Lege A', 83_000, 'Takk.\nVi Er Klare'],
      ['Intervjuer', 120_000, 'Fint.'],
    ]);
    expectConsistent(t);
  });

  it('normalises to NFC, so a decomposed å is one character and offsets count it once', () => {
    const t = parsePlainText('Kari: ga\u030Ar hjem'); // "gå" typed as g + a + combining ring
    expect(t.text).toBe('går hjem');
    expect(t.turns[0]!.end).toBe(8);
  });

  it('refuses an empty transcript', () => {
    expect(errorOf(() => parsePlainText(' \n\n \n')).reason).toMatch(/empty/);
  });

  it.each([
    ['a NUL', 'GP-03: hei\nja\u0000nei', /NUL character at line 2, column 3/],
    ['a form feed', 'a\fb', /U\+000C at line 1, column 2/],
    ['DEL', 'abc\u007F', /U\+007F at line 1, column 4/],
    ['a C1 control', 'æøå\u0085', /U\+0085 at line 1, column 4/],
    ['a lone surrogate', 'ok\n\uD800', /lone surrogate\) at line 2, column 1/],
  ])('refuses %s with its position', (_n, text, reason) => {
    const e = errorOf(() => parsePlainText(text));
    expect(e.field).toBe('text');
    expect(e.reason).toMatch(reason);
  });

  it('keeps tabs', () => {
    expect(parsePlainText('A: x\ty').turns[0]!.text).toBe('x\ty');
  });
});

const VTT = `WEBVTT - fokusgruppe 1

NOTE Transkribert av forskergruppa.
Denne blokka hoppes over.

STYLE
::cue { color: yellow }

1
00:00:01.000 --> 00:00:04.500 align:start
<v Intervjuer>Velkommen, alle sammen.

00:00:05.000 --> 00:00:07.000
<v.lege GP-03>Takk. Jeg jobber på et
<i>lite</i> legekontor.

00:00:07.000 --> 00:00:09.250
<v GP-03>Vi er tre leger &amp; én sykepleier.</v>

01:00:09.500 --> 01:00:10.000
<v Lege A>Hos oss<v GP-03>Ja?
`;

describe('WebVTT', () => {
  it('reads voices, skips NOTE and STYLE, joins multi-line cues, merges the same speaker', () => {
    const t = parseWebVtt(VTT);
    expect(t.format).toBe('vtt');
    expect(t.turns.map((x) => [x.speaker, x.startMs, x.endMs, x.text])).toEqual([
      ['Intervjuer', 1000, 4500, 'Velkommen, alle sammen.'],
      // two cues of GP-03 merged into one turn, with a space between; tags and entities resolved
      ['GP-03', 5000, 9250, 'Takk. Jeg jobber på et lite legekontor. Vi er tre leger & én sykepleier.'],
      // 1 h 0 min 9.5 s = 3 609 500 ms; two voices in one cue are two turns with the cue's times
      ['Lege A', 3_609_500, 3_610_000, 'Hos oss'],
      ['GP-03', 3_609_500, 3_610_000, 'Ja?'],
    ]);
    const merged = t.turns[1]!;
    expect(merged.segments).toHaveLength(2);
    expect(t.text.slice(merged.segments![1]!.start, merged.segments![1]!.end)).toBe(
      'Vi er tre leger & én sykepleier.'
    );
    expect(merged.segments![1]!.startMs).toBe(7000);
    expectConsistent(t);
  });

  it('a cue without a voice continues the previous speaker', () => {
    const t = parseWebVtt('WEBVTT\n\n00:01.000 --> 00:02.000\n<v Kari>Hei\n\n00:02.000 --> 00:03.000\ndu\n');
    expect(t.turns).toHaveLength(1);
    expect(t.turns[0]!.text).toBe('Hei du');
  });

  it('refuses a missing header and an unreadable timing with the line', () => {
    expect(errorOf(() => parseWebVtt('00:01.000 --> 00:02.000\nhei')).field).toBe('line 1');
    const e = errorOf(() => parseWebVtt('WEBVTT\n\n00:01.000 --> 00:0x.000\nhei'));
    expect(e.field).toBe('line 3');
    expect(errorOf(() => parseWebVtt('WEBVTT\n\n00:05.000 --> 00:02.000\nhei')).reason).toMatch(
      /ends before/
    );
    expect(errorOf(() => parseWebVtt('WEBVTT\n\nbare tekst\nuten tid')).reason).toMatch(/timing line/);
  });
});

const SRT = `1
00:00:01,000 --> 00:00:04,000
Intervjuer: Hvordan har dere det?

2
00:00:04,500 --> 00:00:06,000
Helper-07: Det går bra.
Vi har mye å gjøre.

3
00:00:06,000 --> 00:00:08,000
Særlig om høsten.

4
00:00:08,000 --> 00:00:09,000
Intervjuer: <i>Skjønner.</i>
`;

describe('SRT', () => {
  it('reads numbered cues with Name: prefixes; cues without a prefix continue the speaker', () => {
    const t = parseSrt(SRT);
    expect(t.turns.map((x) => [x.speaker, x.startMs, x.endMs, x.text])).toEqual([
      ['Intervjuer', 1000, 4000, 'Hvordan har dere det?'],
      ['Helper-07', 4500, 8000, 'Det går bra. Vi har mye å gjøre. Særlig om høsten.'],
      ['Intervjuer', 8000, 9000, 'Skjønner.'],
    ]);
    expectConsistent(t);
  });

  it('is detected by content, and WebVTT by its header', () => {
    expect(detectTranscriptFormat(SRT)).toBe('srt');
    expect(detectTranscriptFormat(VTT)).toBe('vtt');
    expect(detectTranscriptFormat('GP-03: hei')).toBe('txt');
    expect(detectTranscriptFormat('hei', 'intervju.SRT')).toBe('srt');
    expect(detectTranscriptFormat('\n00:00:01,000 --> 00:00:02,000\nHei')).toBe('srt'); // without its number
    expect(detectTranscriptFormat('1\nGP-03: hei')).toBe('txt');
    expect(parseTranscript(utf8(SRT)).format).toBe('srt');
  });
});

describe('bytes', () => {
  const text = 'GP-03: Vi snakker om søvn, matlyst og skam – «æøå ÆØÅ».';

  it('decodes UTF-8 with and without a BOM, and UTF-16 LE and BE with a BOM', () => {
    const le = [0xff, 0xfe];
    const be = [0xfe, 0xff];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      le.push(c & 0xff, c >> 8);
      be.push(c >> 8, c & 0xff);
    }
    expect(decodeTranscriptBytes(utf8(text))).toBe(text);
    expect(decodeTranscriptBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]))).toBe(text);
    expect(decodeTranscriptBytes(new Uint8Array(le))).toBe(text);
    expect(decodeTranscriptBytes(new Uint8Array(be))).toBe(text);
    expect(parseTranscript(new Uint8Array(le)).turns[0]!.speaker).toBe('GP-03');
  });

  it('refuses Windows-1252, naming the byte, its offset and the likely cause', () => {
    // "Vi bør" in Windows-1252: ø is the single byte 0xF8 at offset 4
    const bytes = new Uint8Array([0x56, 0x69, 0x20, 0x62, 0xf8, 0x72]);
    const e = errorOf(() => parseTranscript(bytes));
    expect(e.field).toBe('file');
    expect(e.reason).toBe(
      'is not UTF-8 or UTF-16: byte 0xF8 at offset 4 (in Windows-1252 that byte is "ø", so the file was probably saved as ANSI); save the file as UTF-8'
    );
    expect(errorOf(() => decodeTranscriptBytes(new Uint8Array([0x61, 0xe6, 0x20]))).message).toMatch(
      /byte 0xE6 at offset 1/
    );
  });

  it('refuses UTF-16 without a BOM, odd-length UTF-16 and a NUL in UTF-8', () => {
    const noBom = new Uint8Array([...utf8('hei og hallo')].flatMap((b) => [b, 0]));
    expect(errorOf(() => decodeTranscriptBytes(noBom)).reason).toMatch(/UTF-16 without a byte-order mark/);
    expect(errorOf(() => decodeTranscriptBytes(new Uint8Array([0xff, 0xfe, 0x41]))).reason).toMatch(
      /odd number/
    );
    expect(errorOf(() => parseTranscript(utf8('A: ja\u0000'))).reason).toMatch(
      /NUL character at line 1, column 6/
    );
  });

  it.each([
    ['an overlong encoding', [0xc0, 0xaf], 0],
    ['a truncated sequence', [0x41, 0xe2, 0x82], 1],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 0],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a stray continuation byte', [0x41, 0x80], 1],
  ])('finds %s', (_n, bytes, at) => {
    expect(firstInvalidUtf8(new Uint8Array(bytes))).toBe(at);
  });

  it('agrees with the platform decoder on which byte strings are UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        let ok = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          ok = false;
        }
        expect(firstInvalidUtf8(bytes) === -1).toBe(ok);
      }),
      { numRuns: 3000 }
    );
  });
});

describe('properties', () => {
  const parseOrError = (run: () => Transcript): Transcript | null => {
    try {
      return run();
    } catch (e) {
      expect(e).toBeInstanceOf(TranscriptError);
      return null;
    }
  };

  it('never throws anything but a TranscriptError, on arbitrary strings in any format', () => {
    const pieces = fc.constantFrom(
      'GP-03: ',
      'Lege A: ',
      '[00:01:02] ',
      'WEBVTT\n',
      '1\n',
      '00:00:01,000 --> 00:00:02,000\n',
      '00:01.000 --> 00:02.000\n',
      '<v Kari>',
      'NOTE ',
      '\n',
      '\n\n',
      'æøå ',
      'hei ',
      '\r\n',
      '&amp;',
      '<i>',
      '\u0000'
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(pieces, { maxLength: 20 }).map((a) => a.join(''))
    );
    fc.assert(
      fc.property(
        text,
        fc.constantFrom<'txt' | 'vtt' | 'srt' | 'auto'>('txt', 'vtt', 'srt', 'auto'),
        (input, format) => {
          // the parsers themselves, not parseTranscript (whose last-resort wrapper would hide a bug)
          const parse = {
            txt: parsePlainText,
            vtt: parseWebVtt,
            srt: parseSrt,
            auto: (x: string) => parseTranscript(x),
          }[format];
          const t = parseOrError(() => parse(input));
          if (t) expectConsistent(t);
        }
      ),
      { numRuns: 3000 }
    );
  });

  it('never throws anything but a TranscriptError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const t = parseOrError(() => parseTranscript(bytes));
        if (t) expectConsistent(t);
      }),
      { numRuns: 3000 }
    );
  });

  it('keeps every word of well-formed plain-text turns, in order, and offsets slice back', () => {
    const word = fc.constantFrom(
      'jeg',
      'synes',
      'det',
      'er',
      'vanskelig',
      'søvn',
      'ærlig',
      'år',
      'Kari',
      'ja.',
      'nei,'
    );
    const turn = fc.record({
      speaker: fc.constantFrom('GP-03', 'Intervjuer', 'Lege A', 'Helper-07'),
      lines: fc.array(
        fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')),
        { minLength: 1, maxLength: 3 }
      ),
    });
    fc.assert(
      fc.property(fc.array(turn, { minLength: 1, maxLength: 8 }), (turns) => {
        const raw = turns.map((x) => `${x.speaker}: ${x.lines.join('\n')}`).join('\n');
        const t = parsePlainText(raw);
        expectConsistent(t);
        expect(t.turns.map((x) => x.speaker)).toEqual(turns.map((x) => x.speaker));
        expect(t.turns.map((x) => x.text)).toEqual(turns.map((x) => x.lines.join('\n')));
      })
    );
  });
});
