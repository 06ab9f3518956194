/**
 * Systematic text condensation (STC; Malterud, Scand J Public Health 2012;40:795-805), the
 * analysis method of Norwegian general-practice research, as data and rules:
 *
 *   1. Total impression: preliminary themes noted per source, from reading the whole material.
 *   2. Meaning units: stretches of transcript text that bear on the themes, identified and sorted
 *      into code groups (and, within a code group, subgroups).
 *   3. Condensation: per subgroup (or per code group without subgroups) a condensate, an artificial
 *      quotation in the first person that sums up its meaning units, linked to them, with one
 *      "golden quotation" among them that illustrates it.
 *   4. Synthesis: the analytic text per code group (the results section), built from the
 *      condensates; every sentence names the condensates it rests on.
 *
 * The point of keeping all four as linked data is step 4's promise: any sentence of the results
 * can be traced back to its condensates, their meaning units and the transcript lines they came
 * from (`traceSentence`). Nothing here stores text twice: meaning units are offsets into the
 * de-identified source text.
 */

export interface Impression {
  sourceId: string;
  /** Preliminary themes, as the researcher noted them. */
  themes: string[];
}

export interface CodeGroup {
  id: string;
  name: string;
  /** A subgroup's code group; null for a code group. STC uses one level of subgroups. */
  parentId: string | null;
}

export interface MeaningUnit {
  id: string;
  sourceId: string;
  /** Half-open character offsets into the source's de-identified text. */
  start: number;
  end: number;
  /** The code group or subgroup it is sorted into; null while unsorted (step 2 in progress). */
  groupId: string | null;
}

export interface Condensate {
  id: string;
  /** The subgroup (or code group without subgroups) it condenses. */
  groupId: string;
  /** First-person text ("Jeg har ikke tid …"). */
  text: string;
  meaningUnitIds: string[];
  /** One of `meaningUnitIds`, or null until chosen. */
  goldenQuoteId: string | null;
}

export interface SynthesisSentence {
  text: string;
  condensateIds: string[];
}

export interface SynthesisParagraph {
  id: string;
  /** The code group (theme) the paragraph belongs to. */
  groupId: string;
  sentences: SynthesisSentence[];
}

export interface StcAnalysis {
  impressions: Impression[];
  groups: CodeGroup[];
  meaningUnits: MeaningUnit[];
  condensates: Condensate[];
  synthesis: SynthesisParagraph[];
}

/** The length of each source's de-identified text, for bounds checks. */
export type SourceLengths = ReadonlyMap<string, number>;

export type StcProblemReason =
  | 'unknown-source'
  | 'outside-source'
  | 'empty-meaning-unit'
  | 'unknown-group'
  | 'subgroup-of-subgroup'
  | 'condensate-without-meaning-units'
  | 'meaning-unit-of-another-group'
  | 'golden-quote-not-linked'
  | 'sentence-without-condensate'
  | 'condensate-of-another-theme'
  | 'unknown-meaning-unit'
  | 'unknown-condensate'
  | 'duplicate-id';

export interface StcProblem {
  /** 1-4: the STC step the problem belongs to. */
  step: 1 | 2 | 3 | 4;
  /** The id of the thing at fault (meaning unit, group, condensate, paragraph#sentence). */
  ref: string;
  reason: StcProblemReason;
  message: string;
}

/** The code group a group id belongs to: itself for a code group, its parent for a subgroup. */
function themeOf(groups: ReadonlyMap<string, CodeGroup>, groupId: string): string | null {
  const g = groups.get(groupId);
  if (!g) return null;
  return g.parentId ?? g.id;
}

/** Is `groupId` the group `target` or one of its subgroups? */
function within(groups: ReadonlyMap<string, CodeGroup>, groupId: string | null, target: string): boolean {
  if (groupId === null) return false;
  if (groupId === target) return true;
  return groups.get(groupId)?.parentId === target;
}

/**
 * Every broken link in an analysis, by step: meaning units outside their source, sorted into a
 * group that does not exist; subgroups nested deeper than STC's one level; condensates without
 * meaning units, with a unit from another group, or a golden quotation they do not link; synthesis
 * sentences that rest on no condensate or on one of another theme.
 */
export function stcProblems(analysis: StcAnalysis, sourceLengths: SourceLengths): StcProblem[] {
  const problems: StcProblem[] = [];
  const add = (step: StcProblem['step'], ref: string, reason: StcProblemReason, message: string) =>
    problems.push({ step, ref, reason, message });
  const groups = new Map(analysis.groups.map((g) => [g.id, g]));
  const units = new Map(analysis.meaningUnits.map((u) => [u.id, u]));
  const condensates = new Map(analysis.condensates.map((c) => [c.id, c]));
  for (const [list, step] of [
    [analysis.groups, 2],
    [analysis.meaningUnits, 2],
    [analysis.condensates, 3],
    [analysis.synthesis, 4],
  ] as const) {
    const seen = new Set<string>();
    for (const item of list) {
      if (seen.has(item.id)) add(step, item.id, 'duplicate-id', `${item.id}: the id is used twice`);
      seen.add(item.id);
    }
  }

  for (const impression of analysis.impressions)
    if (!sourceLengths.has(impression.sourceId))
      add(1, impression.sourceId, 'unknown-source', `impression of ${impression.sourceId}: no such source`);

  for (const g of analysis.groups) {
    if (g.parentId === null) continue;
    const parent = groups.get(g.parentId);
    if (!parent) add(2, g.id, 'unknown-group', `subgroup ${g.id}: code group ${g.parentId} does not exist`);
    else if (parent.parentId !== null)
      add(2, g.id, 'subgroup-of-subgroup', `subgroup ${g.id}: ${g.parentId} is itself a subgroup`);
  }

  for (const u of analysis.meaningUnits) {
    const length = sourceLengths.get(u.sourceId);
    if (length === undefined)
      add(2, u.id, 'unknown-source', `meaning unit ${u.id}: source ${u.sourceId} does not exist`);
    else if (
      !Number.isInteger(u.start) ||
      !Number.isInteger(u.end) ||
      u.start < 0 ||
      u.end > length ||
      u.start > u.end
    )
      add(
        2,
        u.id,
        'outside-source',
        `meaning unit ${u.id}: [${u.start}, ${u.end}) is not within the source's ${length} characters`
      );
    else if (u.start === u.end) add(2, u.id, 'empty-meaning-unit', `meaning unit ${u.id} is empty`);
    if (u.groupId !== null && !groups.has(u.groupId))
      add(2, u.id, 'unknown-group', `meaning unit ${u.id}: group ${u.groupId} does not exist`);
  }

  for (const c of analysis.condensates) {
    if (!groups.has(c.groupId)) {
      add(3, c.id, 'unknown-group', `condensate ${c.id}: group ${c.groupId} does not exist`);
      continue;
    }
    if (c.meaningUnitIds.length === 0)
      add(3, c.id, 'condensate-without-meaning-units', `condensate ${c.id} condenses no meaning unit`);
    for (const id of c.meaningUnitIds) {
      const u = units.get(id);
      if (!u) add(3, c.id, 'unknown-meaning-unit', `condensate ${c.id}: meaning unit ${id} does not exist`);
      else if (!within(groups, u.groupId, c.groupId))
        add(
          3,
          c.id,
          'meaning-unit-of-another-group',
          `condensate ${c.id}: meaning unit ${id} is sorted into ${u.groupId ?? 'no group'}, not ${c.groupId}`
        );
    }
    if (c.goldenQuoteId !== null && !c.meaningUnitIds.includes(c.goldenQuoteId))
      add(
        3,
        c.id,
        'golden-quote-not-linked',
        `condensate ${c.id}: the golden quotation ${c.goldenQuoteId} is not one of its meaning units`
      );
  }

  for (const p of analysis.synthesis) {
    if (!groups.has(p.groupId) || groups.get(p.groupId)!.parentId !== null)
      add(4, p.id, 'unknown-group', `paragraph ${p.id}: ${p.groupId} is not a code group`);
    p.sentences.forEach((s, i) => {
      const ref = `${p.id}#${i + 1}`;
      if (s.condensateIds.length === 0)
        add(
          4,
          ref,
          'sentence-without-condensate',
          `paragraph ${p.id}, sentence ${i + 1}: it rests on no condensate`
        );
      for (const id of s.condensateIds) {
        const c = condensates.get(id);
        if (!c)
          add(
            4,
            ref,
            'unknown-condensate',
            `paragraph ${p.id}, sentence ${i + 1}: condensate ${id} does not exist`
          );
        else if (themeOf(groups, c.groupId) !== p.groupId)
          add(
            4,
            ref,
            'condensate-of-another-theme',
            `paragraph ${p.id}, sentence ${i + 1}: condensate ${id} belongs to another code group`
          );
      }
    });
  }
  return problems;
}

export interface GroupProgress {
  groupId: string;
  name: string;
  /** The last STC step this code group has completed (1 when only impressions exist). */
  step: 1 | 2 | 3 | 4;
  meaningUnits: number;
  /** Subgroups (or the group itself, without subgroups) that have meaning units but no condensate. */
  awaitingCondensate: string[];
  /** Condensates without a golden quotation. */
  awaitingGoldenQuote: string[];
  synthesisSentences: number;
}

/**
 * Where each code group stands: step 2 once it has meaning units, step 3 once every subgroup with
 * meaning units has a condensate with a golden quotation, step 4 once it has a synthesis paragraph
 * whose every sentence rests on a condensate.
 */
export function stcProgress(analysis: StcAnalysis): GroupProgress[] {
  const themes = analysis.groups.filter((g) => g.parentId === null);
  return themes.map((theme) => {
    const subgroups = analysis.groups.filter((g) => g.parentId === theme.id);
    const targets = subgroups.length ? subgroups.map((g) => g.id) : [theme.id];
    const units = analysis.meaningUnits.filter(
      (u) => u.groupId === theme.id || (u.groupId !== null && targets.includes(u.groupId))
    );
    const withUnits = targets.filter((t) => units.some((u) => u.groupId === t));
    const condensates = analysis.condensates.filter(
      (c) => c.groupId === theme.id || targets.includes(c.groupId)
    );
    const awaitingCondensate = withUnits.filter((t) => !condensates.some((c) => c.groupId === t));
    const awaitingGoldenQuote = condensates.filter((c) => c.goldenQuoteId === null).map((c) => c.id);
    const paragraphs = analysis.synthesis.filter((p) => p.groupId === theme.id);
    const sentences = paragraphs.flatMap((p) => p.sentences);
    let step: GroupProgress['step'] = 1;
    if (units.length) step = 2;
    if (step === 2 && condensates.length && !awaitingCondensate.length && !awaitingGoldenQuote.length)
      step = 3;
    if (step === 3 && sentences.length && sentences.every((s) => s.condensateIds.length > 0)) step = 4;
    return {
      groupId: theme.id,
      name: theme.name,
      step,
      meaningUnits: units.length,
      awaitingCondensate,
      awaitingGoldenQuote,
      synthesisSentences: sentences.length,
    };
  });
}

/** 1-based line numbers (of the text's `\n`-separated lines) that a stretch [start, end) touches. */
export function lineRange(text: string, start: number, end: number): { from: number; to: number } {
  let line = 1;
  let from = 1;
  const last = Math.max(start, end - 1);
  let to = 1;
  for (let i = 0; i < text.length && i <= last; i++) {
    if (i === start) from = line;
    if (i === last) to = line;
    if (text.charCodeAt(i) === 10) line++;
  }
  if (start >= text.length) from = line;
  if (last >= text.length) to = line;
  return { from, to };
}

export interface TracedMeaningUnit {
  meaningUnitId: string;
  sourceId: string;
  start: number;
  end: number;
  quote: string;
  lines: { from: number; to: number };
  isGoldenQuote: boolean;
}

export interface TracedCondensate {
  condensateId: string;
  text: string;
  meaningUnits: TracedMeaningUnit[];
}

/**
 * Traces one sentence of the synthesis back to its condensates, their meaning units, the quoted
 * text and the transcript lines. `texts` holds each source's de-identified text.
 */
export function traceSentence(
  analysis: StcAnalysis,
  texts: ReadonlyMap<string, string>,
  paragraphId: string,
  sentenceIndex: number
): TracedCondensate[] {
  const paragraph = analysis.synthesis.find((p) => p.id === paragraphId);
  const sentence = paragraph?.sentences[sentenceIndex];
  if (!sentence) throw new RangeError(`paragraph ${paragraphId} has no sentence ${sentenceIndex + 1}`);
  const units = new Map(analysis.meaningUnits.map((u) => [u.id, u]));
  return sentence.condensateIds.flatMap((id) => {
    const c = analysis.condensates.find((x) => x.id === id);
    if (!c) return [];
    return [
      {
        condensateId: c.id,
        text: c.text,
        meaningUnits: c.meaningUnitIds.flatMap((uid) => {
          const u = units.get(uid);
          const text = u ? texts.get(u.sourceId) : undefined;
          if (!u || text === undefined) return [];
          return [
            {
              meaningUnitId: u.id,
              sourceId: u.sourceId,
              start: u.start,
              end: u.end,
              quote: text.slice(u.start, u.end),
              lines: lineRange(text, u.start, u.end),
              isGoldenQuote: c.goldenQuoteId === u.id,
            },
          ];
        }),
      },
    ];
  });
}

export interface WithdrawalEffect {
  analysis: StcAnalysis;
  removedMeaningUnits: string[];
  /** Condensates that lost a meaning unit: their text may quote the withdrawn participant. */
  condensatesToReview: string[];
  /** Condensates left with no meaning unit at all (kept, for the researcher to rewrite or delete). */
  condensatesWithoutUnits: string[];
}

/**
 * After a participant withdraws: their meaning units (chosen by the caller, who knows whose speech
 * each unit lies in) are removed from the analysis, golden quotations among them are cleared, and
 * every condensate that condensed them is named for review, since its wording may carry what they
 * said. Nothing else changes; no text of the removed units is kept.
 */
export function withdrawMeaningUnits(
  analysis: StcAnalysis,
  meaningUnitIds: readonly string[]
): WithdrawalEffect {
  const removed = new Set(meaningUnitIds.filter((id) => analysis.meaningUnits.some((u) => u.id === id)));
  const condensatesToReview: string[] = [];
  const condensatesWithoutUnits: string[] = [];
  const condensates = analysis.condensates.map((c) => {
    const kept = c.meaningUnitIds.filter((id) => !removed.has(id));
    if (kept.length === c.meaningUnitIds.length) return c;
    condensatesToReview.push(c.id);
    if (kept.length === 0) condensatesWithoutUnits.push(c.id);
    return {
      ...c,
      meaningUnitIds: kept,
      goldenQuoteId: c.goldenQuoteId !== null && removed.has(c.goldenQuoteId) ? null : c.goldenQuoteId,
    };
  });
  return {
    analysis: {
      ...analysis,
      meaningUnits: analysis.meaningUnits.filter((u) => !removed.has(u.id)),
      condensates,
    },
    removedMeaningUnits: [...removed],
    condensatesToReview,
    condensatesWithoutUnits,
  };
}
