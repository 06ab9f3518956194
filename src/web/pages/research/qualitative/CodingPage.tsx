/**
 * A transcript, read and coded (issue 15). Each coder sees and changes only their own codings
 * (coders code apart; the comparison is on the agreement page).
 *
 * Selecting text works with the mouse (drag in the text) and with the keyboard: the turns form one
 * tab stop (↑/↓ move between them); Enter selects the whole turn, Shift+→/← move the selection's
 * end by a word, Alt+Shift+→/← its start, and K (or C) applies the chosen code. Both ways end in
 * one state, the selection as offsets into the text, which the page also draws as the browser's
 * selection so the researcher sees what will be coded.
 *
 * The selection can also become an STC meaning unit (step 2) in an analysis of the study.
 */
import {
  Alert,
  Button,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  Textarea,
  Textfield,
} from '@digdir/designsystemet-react';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { ProblemMessage } from './ProblemMessage.js';
import {
  qualitativeApi,
  type CodeView,
  type CodingView,
  type SourceText,
  type StcAnalysisView,
} from './qualitative-api.js';
import { studyPath } from './StudyWork.js';
import {
  nextWordEnd,
  nextWordStart,
  previousWordEnd,
  previousWordStart,
  stretchesOf,
  type Span,
} from './text-spans.js';

export function TranscriptPage() {
  const { t } = useTranslation();
  const { studyId = '', sourceId = '' } = useParams();
  const source = useApiData(
    (signal) => qualitativeApi.source(studyId, sourceId, signal),
    [studyId, sourceId]
  );
  const study = useApiData((signal) => qualitativeApi.study(studyId, signal), [studyId]);
  usePageTitle(source.data?.title ?? t('qual.sourcesHeading'));
  if (source.status === 'error' && !source.data)
    return (
      <div className="page stack-lg">
        <AppLink to={studyPath(studyId)}>{t('qual.back')}</AppLink>
        <LoadError error={source.error} onRetry={source.reload} />
      </div>
    );
  if (!source.data || !study.data) return <Loading />;
  const mayEdit = study.data.role !== 'reader' && source.data.status === 'open_for_coding';
  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(studyId)}>{t('qual.back')}</AppLink>
      <PageHeading>{source.data.title}</PageHeading>
      {source.data.status !== 'open_for_coding' ? (
        <Paragraph>{t('qual.notOpen')}</Paragraph>
      ) : (
        <CodingWorkspace studyId={studyId} source={source.data} mayEdit={mayEdit} />
      )}
    </div>
  );
}

function CodingWorkspace({
  studyId,
  source,
  mayEdit,
}: {
  studyId: string;
  source: SourceText;
  mayEdit: boolean;
}) {
  const { t } = useTranslation();
  const codebook = useApiData((signal) => qualitativeApi.codebook(studyId, signal), [studyId]);
  const [codings, setCodings] = useState<CodingView[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [selection, setSelection] = useState<Span | null>(null);
  const [codeId, setCodeId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const turnsRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    qualitativeApi
      .codings(studyId, source.id, controller.signal)
      .then((list) => setCodings(list.codings))
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setLoadError(caught);
      });
    return () => controller.abort();
  }, [studyId, source.id]);

  const codes = useMemo(() => codebook.data?.codes ?? [], [codebook.data]);
  const codeById = useMemo(() => new Map(codes.map((c) => [c.id, c])), [codes]);
  const depthOf = useMemo(() => {
    const depth = new Map<string, number>();
    for (const c of codes) depth.set(c.id, c.parentId ? (depth.get(c.parentId) ?? 0) + 1 : 0);
    return depth;
  }, [codes]);

  // the mouse: whatever the browser selects inside the turns becomes the selection
  useEffect(() => {
    const onChange = () => {
      const container = turnsRef.current;
      const domSelection = document.getSelection();
      if (!container || !domSelection || domSelection.rangeCount === 0 || domSelection.isCollapsed) return;
      const range = domSelection.getRangeAt(0);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
      const start = offsetOf(range.startContainer, range.startOffset, 'start');
      const end = offsetOf(range.endContainer, range.endOffset, 'end');
      if (start !== null && end !== null && end > start)
        setSelection((s) => (s && s.start === start && s.end === end ? s : { start, end }));
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, []);

  const apply = useCallback(async () => {
    if (!selection || !codeId) return;
    setError(null);
    setStatus(null);
    try {
      const created = await qualitativeApi.code(studyId, source.id, { codeId, ...selection });
      setCodings((list) => [...(list ?? []), created]);
      setStatus(
        t('qualWork.coded', {
          code: codeById.get(codeId)?.name ?? '',
          quote: clip(source.text.slice(created.start, created.end)),
        })
      );
    } catch (caught) {
      setError(caught);
    }
  }, [selection, codeId, studyId, source, codeById, t]);

  async function remove(coding: CodingView) {
    setError(null);
    try {
      await qualitativeApi.uncode(studyId, source.id, coding.id);
      setCodings((list) => (list ?? []).filter((c) => c.id !== coding.id));
      setStatus(t('qualWork.uncoded', { code: codeById.get(coding.codeId)?.name ?? '' }));
    } catch (caught) {
      setError(caught);
    }
  }

  if (loadError) return <LoadError error={loadError} onRetry={() => window.location.reload()} />;
  if (!codings || !codebook.data) return <Loading />;
  const mine = [...codings].sort((a, b) => a.start - b.start || a.end - b.end);

  return (
    <div className="qual-coding">
      <div className="qual-coding__text stack-sm">
        <Paragraph data-size="sm" id="coding-help">
          {mayEdit ? t('qualWork.codingHelp') : t('qualWork.readingHelp')}
        </Paragraph>
        <Turns
          source={source}
          codings={codings}
          codeById={codeById}
          selection={selection}
          onSelect={setSelection}
          onApply={mayEdit ? () => void apply() : undefined}
          containerRef={turnsRef}
        />
      </div>
      <aside className="qual-coding__panel stack-sm" aria-label={t('qualWork.panel')}>
        {mayEdit && (
          <section className="stack-sm" aria-labelledby="apply-heading">
            <Heading level={2} data-size="2xs" id="apply-heading">
              {t('qualWork.applyHeading')}
            </Heading>
            <Paragraph data-size="sm" aria-live="polite" id="selection-now">
              {selection
                ? t('qualWork.selected', {
                    quote: clip(source.text.slice(selection.start, selection.end)),
                    count: selection.end - selection.start,
                  })
                : t('qualWork.nothingSelected')}
            </Paragraph>
            <Field>
              <Label htmlFor="code-choice">{t('qualWork.code')}</Label>
              <Select id="code-choice" value={codeId} onChange={(event) => setCodeId(event.target.value)}>
                <Select.Option value="">{t('qualWork.chooseCode')}</Select.Option>
                {codes.map((c) => (
                  <Select.Option key={c.id} value={c.id}>
                    {'\u2003'.repeat(depthOf.get(c.id) ?? 0)}
                    {c.name}
                  </Select.Option>
                ))}
              </Select>
            </Field>
            <Button disabled={!selection || !codeId} onClick={() => void apply()}>
              {t('qualWork.applyCode')}
            </Button>
            <NewCodeForm
              studyId={studyId}
              onCreated={(code) => {
                codebook.reload();
                setCodeId(code.id);
              }}
            />
            <SegmentMemo studyId={studyId} sourceId={source.id} text={source.text} selection={selection} />
            <MeaningUnitForm studyId={studyId} sourceId={source.id} selection={selection} />
          </section>
        )}
        <div aria-live="polite">
          {status && <Alert data-color="success">{status}</Alert>}
          {error !== null && <ProblemMessage error={error} />}
        </div>
        <section className="stack-sm" aria-labelledby="mine-heading">
          <Heading level={2} data-size="2xs" id="mine-heading">
            {t('qual.myCodings', { count: mine.length })}
          </Heading>
          <ul className="stack-sm qual-my-codings">
            {mine.map((c) => (
              <li key={c.id}>
                <strong>{codeById.get(c.codeId)?.name}</strong>: «{clip(source.text.slice(c.start, c.end))}»{' '}
                {mayEdit && (
                  <Button
                    variant="tertiary"
                    data-size="sm"
                    onClick={() => void remove(c)}
                    aria-label={t('qualWork.removeCoding', { code: codeById.get(c.codeId)?.name ?? '' })}
                  >
                    {t('qualWork.remove')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      </aside>
    </div>
  );
}

const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The text offset of a DOM point inside the turns: the turn's start plus the characters before it. */
function offsetOf(node: Node, offset: number, side: 'start' | 'end'): number | null {
  const element = node instanceof Element ? node : node.parentElement;
  const body = element?.closest<HTMLElement>('[data-turn-start]');
  if (!body) {
    // in a speaker label: the start snaps to the turn's text, the end to the end of the turn before
    const turn = element?.closest<HTMLElement>('[data-turn]');
    const text = turn?.querySelector<HTMLElement>('[data-turn-start]');
    if (!text) return null;
    const start = Number(text.dataset.turnStart);
    if (side === 'start') return start;
    const before = turn?.previousElementSibling?.querySelector<HTMLElement>('[data-turn-end]');
    return before ? Number(before.dataset.turnEnd) : start;
  }
  const range = document.createRange();
  range.selectNodeContents(body);
  range.setEnd(node, offset);
  return Number(body.dataset.turnStart) + range.toString().length;
}

/** The DOM point of a text offset, for drawing the selection the keyboard made. */
function pointOf(container: HTMLElement, offset: number): { node: Node; offset: number } | null {
  const bodies = [...container.querySelectorAll<HTMLElement>('[data-turn-start]')];
  const body = bodies.find(
    (b) => offset >= Number(b.dataset.turnStart) && offset <= Number(b.dataset.turnEnd)
  );
  if (!body) return null;
  let left = offset - Number(body.dataset.turnStart);
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent?.length ?? 0;
    if (left <= length) return { node, offset: left };
    left -= length;
  }
  return { node: body, offset: body.childNodes.length };
}

interface TurnsProps {
  source: SourceText;
  codings: readonly CodingView[];
  codeById: ReadonlyMap<string, CodeView>;
  selection: Span | null;
  onSelect: (span: Span) => void;
  onApply: (() => void) | undefined;
  containerRef: React.RefObject<HTMLDivElement | null>;
}

function Turns({ source, codings, codeById, selection, onSelect, onApply, containerRef }: TurnsProps) {
  const { t } = useTranslation();
  const { hash } = useLocation();
  const target = /^#at-(\d+)$/.exec(hash) ? Number(hash.slice(4)) : null;
  const targetTurn =
    target === null ? null : source.turns.find((turn) => target >= turn.start && target < turn.end);
  const [active, setActive] = useState(targetTurn?.index ?? source.turns[0]?.index ?? 0);
  const byTurn = useMemo(() => {
    const map = new Map<number, CodingView[]>();
    for (const turn of source.turns)
      map.set(
        turn.index,
        codings.filter((c) => c.start < turn.end && c.end > turn.start)
      );
    return map;
  }, [source.turns, codings]);

  useEffect(() => {
    if (targetTurn) document.getElementById(`turn-${targetTurn.index}`)?.scrollIntoView({ block: 'center' });
  }, [targetTurn]);

  /** Draw a selection the keyboard made as the browser's selection. */
  function show(span: Span) {
    onSelect(span);
    const container = containerRef.current;
    const domSelection = document.getSelection();
    if (!container || !domSelection) return;
    const from = pointOf(container, span.start);
    const to = pointOf(container, span.end);
    if (!from || !to) return;
    const range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    domSelection.removeAllRanges();
    domSelection.addRange(range);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const position = source.turns.findIndex((turn) => turn.index === active);
    const turn = source.turns[position];
    if (!turn) return;
    const focusTurn = (next: number) => {
      const nextTurn = source.turns[Math.max(0, Math.min(source.turns.length - 1, next))];
      if (!nextTurn) return;
      setActive(nextTurn.index);
      document.getElementById(`turn-${nextTurn.index}`)?.focus();
    };
    const text = source.text;
    const current = selection ?? { start: turn.start, end: turn.start };
    if (event.key === 'ArrowDown' && !event.shiftKey) focusTurn(position + 1);
    else if (event.key === 'ArrowUp' && !event.shiftKey) focusTurn(position - 1);
    else if (event.key === 'Home' && event.ctrlKey) focusTurn(0);
    else if (event.key === 'End' && event.ctrlKey) focusTurn(source.turns.length - 1);
    else if (event.key === 'Enter' || event.key === ' ') show({ start: turn.start, end: turn.end });
    else if (event.shiftKey && event.altKey && event.key === 'ArrowRight')
      show({
        start: Math.min(nextWordStart(text, current.start, current.end), current.end - 1),
        end: current.end,
      });
    else if (event.shiftKey && event.altKey && event.key === 'ArrowLeft')
      show({ start: previousWordStart(text, current.start), end: current.end });
    else if (event.shiftKey && event.key === 'ArrowRight')
      show({ start: current.start, end: nextWordEnd(text, current.end) });
    else if (event.shiftKey && event.key === 'ArrowLeft')
      show({
        start: current.start,
        end: Math.max(previousWordEnd(text, current.end, current.start), current.start + 1),
      });
    else if ((event.key === 'k' || event.key === 'c') && !event.ctrlKey && !event.metaKey && onApply)
      onApply();
    else return;
    event.preventDefault();
  }

  return (
    <div
      ref={containerRef}
      className="stack-sm qual-turns"
      role="group"
      aria-label={t('qual.turns')}
      aria-describedby="coding-help"
      onKeyDown={onKeyDown}
    >
      {source.turns.map((turn) => (
        <Turn
          key={turn.index}
          index={turn.index}
          speaker={turn.speaker}
          start={turn.start}
          end={turn.end}
          text={source.text}
          codings={byTurn.get(turn.index) ?? []}
          codeById={codeById}
          focusable={turn.index === active}
          onFocus={setActive}
          mark={targetTurn?.index === turn.index ? target : null}
        />
      ))}
    </div>
  );
}

interface TurnProps {
  index: number;
  speaker: string | null;
  start: number;
  end: number;
  text: string;
  codings: readonly CodingView[];
  codeById: ReadonlyMap<string, CodeView>;
  focusable: boolean;
  onFocus: (index: number) => void;
  /** A search hit's offset in this turn, marked. */
  mark: number | null;
}

/** One turn; redrawn only when its own codings change, so coding stays fast in long transcripts. */
const Turn = memo(TurnText, (before, after) =>
  (Object.keys(after) as (keyof TurnProps)[]).every((key) =>
    key === 'codings'
      ? before.codings.length === after.codings.length &&
        before.codings.every((c, i) => c === after.codings[i])
      : before[key] === after[key]
  )
);

function TurnText({
  index,
  speaker,
  start,
  end,
  text,
  codings,
  codeById,
  focusable,
  onFocus,
  mark,
}: TurnProps) {
  const hitEnd =
    mark === null ? null : mark + (/^[\p{L}\p{N}-]+/u.exec(text.slice(mark, end))?.[0].length ?? 0);
  const cuts =
    mark !== null && hitEnd !== null ? [...codings, { id: '#hit', start: mark, end: hitEnd }] : codings;
  return (
    <p
      id={`turn-${index}`}
      data-turn={index}
      data-current={mark !== null ? 'true' : undefined}
      tabIndex={focusable ? 0 : -1}
      onFocus={() => onFocus(index)}
    >
      {speaker && <strong>{speaker}: </strong>}
      <span data-turn-start={start} data-turn-end={end}>
        {stretchesOf(start, end, cuts).map((s) => {
          const piece = text.slice(s.start, s.end);
          if (s.covering.length === 0) return piece;
          const hit = s.covering.includes('#hit');
          const codes = s.covering.filter((id) => id !== '#hit');
          const names = codes.map(
            (id) => codeById.get(codings.find((c) => c.id === id)?.codeId ?? '')?.name ?? ''
          );
          const colour = codeById.get(codings.find((c) => c.id === codes[0])?.codeId ?? '')?.colour;
          return (
            <mark
              key={s.start}
              className={codes.length ? 'qual-coded' : 'qual-hit'}
              data-codes={names.join('; ') || undefined}
              data-hit={hit ? 'true' : undefined}
              title={names.join('; ') || undefined}
              style={colour ? { boxShadow: `inset 0 -3px 0 ${colour}` } : undefined}
            >
              {piece}
            </mark>
          );
        })}
      </span>
    </p>
  );
}

function NewCodeForm({ studyId, onCreated }: { studyId: string; onCreated: (code: CodeView) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function create() {
    if (!name.trim()) return;
    setError(null);
    try {
      onCreated(await qualitativeApi.createCode(studyId, { name: name.trim(), parentId: null }));
      setName('');
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <div className="stack-sm">
      <Textfield
        id="new-code"
        label={t('qualWork.newCode')}
        value={name}
        maxLength={200}
        autoComplete="off"
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void create();
          }
        }}
      />
      <Button variant="secondary" data-size="sm" onClick={() => void create()}>
        {t('qualWork.addCode')}
      </Button>
      {error !== null && <ProblemMessage error={error} />}
    </div>
  );
}

/** Memos on this transcript: on a selected stretch or on the whole transcript, listed in order. */
function SegmentMemo({
  studyId,
  sourceId,
  text: sourceText,
  selection,
}: {
  studyId: string;
  sourceId: string;
  text: string;
  selection: Span | null;
}) {
  const { t } = useTranslation();
  const memos = useApiData((signal) => qualitativeApi.memos(studyId, sourceId, signal), [studyId, sourceId]);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function save(onSelection: boolean) {
    if (!text.trim() || (onSelection && !selection)) return;
    setError(null);
    try {
      await qualitativeApi.createMemo(
        studyId,
        onSelection && selection
          ? { target: 'segment', sourceId, ...selection, text: text.trim() }
          : { target: 'source', sourceId, text: text.trim() }
      );
      setText('');
      memos.reload();
    } catch (caught) {
      setError(caught);
    }
  }
  const list = [...(memos.data?.memos ?? [])].sort((a, b) => (a.start ?? -1) - (b.start ?? -1));
  return (
    <div className="stack-sm">
      <Field>
        <Label htmlFor="segment-memo">{t('qualWork.memo')}</Label>
        <Textarea
          id="segment-memo"
          rows={3}
          value={text}
          maxLength={10_000}
          onChange={(event) => setText(event.target.value)}
        />
      </Field>
      <div className="button-row">
        <Button
          variant="secondary"
          data-size="sm"
          disabled={!selection || !text.trim()}
          onClick={() => void save(true)}
        >
          {t('qualWork.saveMemo')}
        </Button>
        <Button variant="tertiary" data-size="sm" disabled={!text.trim()} onClick={() => void save(false)}>
          {t('qualWork.saveSourceMemo')}
        </Button>
      </div>
      {error !== null && <ProblemMessage error={error} />}
      <Heading level={3} data-size="2xs">
        {t('qualWork.memosHeading', { count: list.length })}
      </Heading>
      <ul className="stack-sm qual-memos" aria-live="polite">
        {list.map((m) => (
          <li key={m.id}>
            {m.start !== null && m.end !== null ? (
              <>«{clip(sourceText.slice(m.start, m.end), 60)}»: </>
            ) : (
              <>{t('qualWork.onTranscript')}: </>
            )}
            {m.text} <span className="muted">({m.authorName})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** STC step 2 from the transcript: the selection becomes a meaning unit, sorted into a code group. */
function MeaningUnitForm({
  studyId,
  sourceId,
  selection,
}: {
  studyId: string;
  sourceId: string;
  selection: Span | null;
}) {
  const { t } = useTranslation();
  const analyses = useApiData((signal) => qualitativeApi.analyses(studyId, signal), [studyId]);
  const [analysisId, setAnalysisId] = useState('');
  const [analysis, setAnalysis] = useState<StcAnalysisView | null>(null);
  const [groupId, setGroupId] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!analysisId) return;
    const controller = new AbortController();
    qualitativeApi
      .analysis(studyId, analysisId, controller.signal)
      .then(setAnalysis)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught);
      });
    return () => controller.abort();
  }, [studyId, analysisId]);

  if (!analyses.data || analyses.data.analyses.length === 0) return null;
  const chosen = analysis?.id === analysisId ? analysis : null;

  async function add() {
    if (!selection || !analysisId) return;
    setError(null);
    setDone(null);
    try {
      // the newest revision, so a colleague's save in between is kept (else the save is 409)
      const fresh = await qualitativeApi.analysis(studyId, analysisId, new AbortController().signal);
      const id = `mu-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
      await qualitativeApi.saveAnalysis(studyId, analysisId, {
        revision: fresh.revision,
        title: fresh.title,
        document: {
          ...fresh.document,
          meaningUnits: [
            ...fresh.document.meaningUnits,
            { id, sourceId, ...selection, groupId: groupId || null },
          ],
        },
      });
      setAnalysis(await qualitativeApi.analysis(studyId, analysisId, new AbortController().signal));
      setDone(t('qualWork.unitAdded', { title: fresh.title }));
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <div className="stack-sm">
      <Field>
        <Label htmlFor="unit-analysis">{t('qualWork.unitAnalysis')}</Label>
        <Select id="unit-analysis" value={analysisId} onChange={(event) => setAnalysisId(event.target.value)}>
          <Select.Option value="">{t('qualWork.chooseAnalysis')}</Select.Option>
          {analyses.data.analyses.map((a) => (
            <Select.Option key={a.id} value={a.id}>
              {a.title}
            </Select.Option>
          ))}
        </Select>
      </Field>
      {chosen && (
        <Field>
          <Label htmlFor="unit-group">{t('qualWork.unitGroup')}</Label>
          <Select id="unit-group" value={groupId} onChange={(event) => setGroupId(event.target.value)}>
            <Select.Option value="">{t('qualWork.unsorted')}</Select.Option>
            {chosen.document.groups.map((g) => (
              <Select.Option key={g.id} value={g.id}>
                {g.parentId ? `\u2003${g.name}` : g.name}
              </Select.Option>
            ))}
          </Select>
        </Field>
      )}
      <Button
        variant="secondary"
        data-size="sm"
        disabled={!selection || !analysisId}
        onClick={() => void add()}
      >
        {t('qualWork.addUnit')}
      </Button>
      <div aria-live="polite">{done && <Paragraph data-size="sm">{done}</Paragraph>}</div>
      {error !== null && <ProblemMessage error={error} />}
    </div>
  );
}
