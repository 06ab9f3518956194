/**
 * Quotations and the synthesis as a Word document (.docx, built with `docx`), ready to paste into a
 * paper: quotations grouped by code or theme, each with its speaker's pseudonym, the event and
 * the transcript lines; or the STC synthesis per theme with its golden quotations. The document's
 * language is the study's (Norwegian bokmål or English), so Word's spelling check and hyphenation
 * follow it. Everything passed in is already de-identified; this module adds no text of its own
 * except headings and the labels below.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

export type ExportLanguage = 'nb' | 'en';

export interface ExportQuotation {
  text: string;
  /** The speaker's pseudonym or label as in the de-identified transcript (GP-03, Lege A). */
  speaker: string | null;
  /** The event the source belongs to, as the study names it (Fokusgruppe 2, Case-1). */
  source: string;
  lines?: { from: number; to: number };
}

export interface QuotationSection {
  /** A code's or theme's name. */
  heading: string;
  /** The code's definition, or the theme's description (optional). */
  description?: string;
  quotations: ExportQuotation[];
}

export interface SynthesisTheme {
  heading: string;
  paragraphs: string[];
  /** Golden quotations of the theme's condensates. */
  quotations: ExportQuotation[];
}

const LABELS = {
  nb: {
    lines: (from: number, to: number) => (from === to ? `linje ${from}` : `linje ${from}–${to}`),
    none: 'Ingen sitater.',
    generated: (date: string) => `Laget ${date} fra en avidentifisert analyse.`,
  },
  en: {
    lines: (from: number, to: number) => (from === to ? `line ${from}` : `lines ${from}–${to}`),
    none: 'No quotations.',
    generated: (date: string) => `Made ${date} from a de-identified analysis.`,
  },
} as const;

const LANGUAGE_TAG: Record<ExportLanguage, string> = { nb: 'nb-NO', en: 'en-GB' };

/** "(GP-03, Fokusgruppe 2, linje 14–16)" */
function attribution(q: ExportQuotation, language: ExportLanguage): string {
  const parts = [
    q.speaker,
    q.source,
    q.lines ? LABELS[language].lines(q.lines.from, q.lines.to) : null,
  ].filter((p): p is string => !!p);
  return `(${parts.join(', ')})`;
}

function quotationParagraph(q: ExportQuotation, language: ExportLanguage): Paragraph {
  // Quotations are set apart as in a journal: indented, the words in italics, the attribution not.
  const quoteMarks = language === 'nb' ? ['«', '»'] : ['“', '”'];
  return new Paragraph({
    indent: { left: 567, right: 567 },
    spacing: { after: 160 },
    children: [
      new TextRun({ text: `${quoteMarks[0]}${q.text.trim()}${quoteMarks[1]} `, italics: true }),
      new TextRun({ text: attribution(q, language) }),
    ],
  });
}

function documentOf(
  title: string,
  language: ExportLanguage,
  generatedOn: string,
  body: Paragraph[]
): Document {
  return new Document({
    title,
    creator: 'GP-DEP',
    styles: { default: { document: { run: { language: { value: LANGUAGE_TAG[language] } } } } },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }),
          new Paragraph({
            alignment: AlignmentType.LEFT,
            children: [new TextRun({ text: LABELS[language].generated(generatedOn), size: 18 })],
          }),
          ...body,
        ],
      },
    ],
  });
}

/** Quotations grouped by code or theme, in the order given. */
export async function quotationsDocx(input: {
  title: string;
  language: ExportLanguage;
  /** YYYY-MM-DD, printed under the title. */
  generatedOn: string;
  sections: readonly QuotationSection[];
}): Promise<Uint8Array> {
  const body = input.sections.flatMap((s) => [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(s.heading)] }),
    ...(s.description
      ? [new Paragraph({ children: [new TextRun({ text: s.description, italics: true })] })]
      : []),
    ...(s.quotations.length
      ? s.quotations.map((q) => quotationParagraph(q, input.language))
      : [new Paragraph({ children: [new TextRun(LABELS[input.language].none)] })]),
  ]);
  return new Uint8Array(
    await Packer.toBuffer(documentOf(input.title, input.language, input.generatedOn, body))
  );
}

/** The STC synthesis: per theme its analytic text, then its golden quotations. */
export async function synthesisDocx(input: {
  title: string;
  language: ExportLanguage;
  generatedOn: string;
  themes: readonly SynthesisTheme[];
}): Promise<Uint8Array> {
  const body = input.themes.flatMap((t) => [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(t.heading)] }),
    ...t.paragraphs.map((p) => new Paragraph({ spacing: { after: 160 }, children: [new TextRun(p)] })),
    ...t.quotations.map((q) => quotationParagraph(q, input.language)),
  ]);
  return new Uint8Array(
    await Packer.toBuffer(documentOf(input.title, input.language, input.generatedOn, body))
  );
}
