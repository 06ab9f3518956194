/**
 * Systematic text condensation, step by step (Malterud 2012; issue 15), on one analysis:
 * (1) total impression: preliminary themes per transcript; (2) code groups and the meaning units
 * sorted into them (units are marked on the transcript page); (3) a first-person condensate per
 * group or subgroup, linked to its meaning units, with a golden quotation; (4) the synthesis per
 * theme, each sentence resting on condensates, and traceable back to the transcript lines.
 *
 * The page edits a copy of the analysis and saves it whole with the revision it started from; if a
 * colleague saved meanwhile the server says 409 and nothing is overwritten. Links the server
 * refuses (a condensate of another group, say) come back as 400 naming the place.
 */
import {
  Alert,
  Button,
  Checkbox,
  Field,
  Fieldset,
  Heading,
  Label,
  Paragraph,
  Select,
  Textarea,
  Textfield,
} from '@digdir/designsystemet-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { ProblemMessage } from './ProblemMessage.js';
import {
  qualitativeApi,
  type SentenceTrace,
  type SourceText,
  type StcAnalysisView,
  type StcDocument,
  type StudyDetail,
} from './qualitative-api.js';
import { LoadingOrFailed, newPartId as newId, SaveBar, useDocumentEditor } from './SaveBar.js';
import { studyPath } from './StudyWork.js';
import { StepUpDownloadLink } from '../../../components/StepUpDownloadLink.js';

type Group = StcDocument['groups'][number];
type Condensate = StcDocument['condensates'][number];

const clip = (text: string, max = 140) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function StcPage() {
  const { t } = useTranslation();
  const { studyId = '', analysisId = '' } = useParams();
  const view = useApiData(
    (signal) => qualitativeApi.analysis(studyId, analysisId, signal),
    [studyId, analysisId]
  );
  const study = useApiData((signal) => qualitativeApi.study(studyId, signal), [studyId]);
  usePageTitle(view.data?.title ?? t('qual.analysesHeading'));
  const waiting = <LoadingOrFailed studyId={studyId} loads={[view, study]} />;
  if (!view.data || !study.data) return waiting;
  return <StcEditor key={view.data.revision} view={view.data} study={study.data} onSaved={view.reload} />;
}

function StcEditor({
  view,
  study,
  onSaved,
}: {
  view: StcAnalysisView;
  study: StudyDetail;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { doc, change, dirty, busy, error, save } = useDocumentEditor<StcDocument>(
    view.document,
    (document) =>
      qualitativeApi.saveAnalysis(study.id, view.id, {
        revision: view.revision,
        title: view.title,
        document,
      }),
    onSaved
  );
  const texts = useSourceTexts(study.id, doc);
  const mayEdit = study.role !== 'reader';
  const openSources = study.sources.filter((s) => s.status === 'open_for_coding');
  const titleOf = (sourceId: string) => study.sources.find((s) => s.id === sourceId)?.title ?? sourceId;
  const quoteOf = (unitId: string) => {
    const unit = doc.meaningUnits.find((u) => u.id === unitId);
    const text = unit && texts.get(unit.sourceId);
    return unit && text ? text.text.slice(unit.start, unit.end) : '';
  };

  const themes = doc.groups.filter((g) => g.parentId === null);
  const subgroupsOf = (groupId: string) => doc.groups.filter((g) => g.parentId === groupId);
  /** The groups condensed: subgroups where a group has them, else the group itself. */
  const condensedGroups = themes.flatMap((g) => (subgroupsOf(g.id).length ? subgroupsOf(g.id) : [g]));

  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(study.id)}>{t('qual.back')}</AppLink>
      <PageHeading>{view.title}</PageHeading>
      <Paragraph data-size="sm">{t('qualWork.revision', { revision: view.revision })}</Paragraph>
      <Paragraph>{t('qualWork.stcIntro')}</Paragraph>
      <Paragraph>
        <StepUpDownloadLink
          href={`/api/research/qualitative/studies/${study.id}/stc/${view.id}/synthesis.docx`}
        >
          {t('qualWork.synthesisWord')}
        </StepUpDownloadLink>
      </Paragraph>

      {view.openPoints.length > 0 && (
        <Alert data-color="warning">
          <Heading level={2} data-size="2xs">
            {t('qualWork.openPoints', { count: view.openPoints.length })}
          </Heading>
          <ul>
            {view.openPoints.map((p) => (
              <li key={`${p.step}-${p.ref}-${p.reason}`}>
                {t('qualWork.stepN', { step: p.step })}: {p.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}

      <section aria-labelledby="step1-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="step1-heading">
          {t('qualWork.step1')}
        </Heading>
        <Paragraph data-size="sm">{t('qualWork.step1Help')}</Paragraph>
        {openSources.map((s) => {
          const themesNoted = doc.impressions.find((i) => i.sourceId === s.id)?.themes ?? [];
          return (
            <div key={s.id} className="stack-sm">
              <Heading level={3} data-size="2xs">
                {s.title}
              </Heading>
              {themesNoted.length > 0 && (
                <ul>
                  {themesNoted.map((theme, i) => (
                    <li key={`${theme}-${i}`}>{theme}</li>
                  ))}
                </ul>
              )}
              {mayEdit && (
                <AddLine
                  id={`impression-${s.id}`}
                  label={t('qualWork.addImpression', { title: s.title })}
                  button={t('qualWork.add')}
                  onAdd={(theme) =>
                    change((d) => {
                      const existing = d.impressions.find((i) => i.sourceId === s.id);
                      return {
                        ...d,
                        impressions: existing
                          ? d.impressions.map((i) =>
                              i.sourceId === s.id ? { ...i, themes: [...i.themes, theme] } : i
                            )
                          : [...d.impressions, { sourceId: s.id, themes: [theme] }],
                      };
                    })
                  }
                />
              )}
            </div>
          );
        })}
      </section>

      <section aria-labelledby="step2-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="step2-heading">
          {t('qualWork.step2')}
        </Heading>
        <Paragraph data-size="sm">{t('qualWork.step2Help')}</Paragraph>
        {mayEdit && (
          <NewGroupForm themes={themes} onAdd={(g) => change((d) => ({ ...d, groups: [...d.groups, g] }))} />
        )}
        {doc.meaningUnits.length === 0 ? (
          <Paragraph data-size="sm">{t('qualWork.noUnits')}</Paragraph>
        ) : (
          <ul className="stack-sm">
            {doc.meaningUnits.map((u, i) => (
              <li key={u.id} className="stack-sm">
                <Paragraph data-size="sm">
                  <AppLink to={`${studyPath(study.id)}/sources/${u.sourceId}#at-${u.start}`}>
                    {titleOf(u.sourceId)}
                  </AppLink>
                  : «{clip(quoteOf(u.id))}»
                </Paragraph>
                {mayEdit && (
                  <Field>
                    <Label htmlFor={`unit-group-${u.id}`}>
                      {t('qualWork.unitGroupN', { number: i + 1 })}
                    </Label>
                    <Select
                      id={`unit-group-${u.id}`}
                      value={u.groupId ?? ''}
                      onChange={(event) =>
                        change((d) => ({
                          ...d,
                          meaningUnits: d.meaningUnits.map((m) =>
                            m.id === u.id ? { ...m, groupId: event.target.value || null } : m
                          ),
                        }))
                      }
                    >
                      <Select.Option value="">{t('qualWork.unsorted')}</Select.Option>
                      {themes
                        .flatMap((g) => [g, ...subgroupsOf(g.id)])
                        .map((g) => (
                          <Select.Option key={g.id} value={g.id}>
                            {g.parentId ? `\u2003${g.name}` : g.name}
                          </Select.Option>
                        ))}
                    </Select>
                  </Field>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="step3-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="step3-heading">
          {t('qualWork.step3')}
        </Heading>
        <Paragraph data-size="sm">{t('qualWork.step3Help')}</Paragraph>
        {condensedGroups.map((g) => {
          const units = doc.meaningUnits.filter((u) => u.groupId === g.id);
          const condensates = doc.condensates.filter((c) => c.groupId === g.id);
          const update = (id: string, patch: Partial<Condensate>) =>
            change((d) => ({
              ...d,
              condensates: d.condensates.map((c) => (c.id === id ? { ...c, ...patch } : c)),
            }));
          return (
            <div key={g.id} className="stack-sm qual-group">
              <Heading level={3} data-size="2xs">
                {g.name} ({t('qualWork.unitCount', { count: units.length })})
              </Heading>
              {condensates.map((c, n) => (
                <div key={c.id} className="stack-sm">
                  <Field>
                    <Label htmlFor={`condensate-${c.id}`}>
                      {t('qualWork.condensateN', { group: g.name, number: n + 1 })}
                    </Label>
                    <Textarea
                      id={`condensate-${c.id}`}
                      rows={4}
                      value={c.text}
                      readOnly={!mayEdit}
                      maxLength={4000}
                      onChange={(event) => update(c.id, { text: event.target.value })}
                    />
                  </Field>
                  <Fieldset>
                    <Fieldset.Legend>{t('qualWork.condensesUnits')}</Fieldset.Legend>
                    {units.map((u) => (
                      <Checkbox
                        key={u.id}
                        value={u.id}
                        label={`«${clip(quoteOf(u.id), 90)}»`}
                        disabled={!mayEdit}
                        checked={c.meaningUnitIds.includes(u.id)}
                        onChange={(event) => {
                          const ids = event.target.checked
                            ? [...c.meaningUnitIds, u.id]
                            : c.meaningUnitIds.filter((id) => id !== u.id);
                          update(c.id, {
                            meaningUnitIds: ids,
                            goldenQuoteId:
                              c.goldenQuoteId && ids.includes(c.goldenQuoteId) ? c.goldenQuoteId : null,
                          });
                        }}
                      />
                    ))}
                  </Fieldset>
                  <Field>
                    <Label htmlFor={`golden-${c.id}`}>{t('qualWork.goldenQuote')}</Label>
                    <Select
                      id={`golden-${c.id}`}
                      value={c.goldenQuoteId ?? ''}
                      disabled={!mayEdit}
                      onChange={(event) => update(c.id, { goldenQuoteId: event.target.value || null })}
                    >
                      <Select.Option value="">{t('qualWork.noGoldenQuote')}</Select.Option>
                      {c.meaningUnitIds.map((id) => (
                        <Select.Option key={id} value={id}>
                          «{clip(quoteOf(id), 90)}»
                        </Select.Option>
                      ))}
                    </Select>
                  </Field>
                </div>
              ))}
              {mayEdit && (
                <Button
                  variant="secondary"
                  data-size="sm"
                  onClick={() =>
                    change((d) => ({
                      ...d,
                      condensates: [
                        ...d.condensates,
                        { id: newId('c'), groupId: g.id, text: '', meaningUnitIds: [], goldenQuoteId: null },
                      ],
                    }))
                  }
                >
                  {t('qualWork.addCondensate', { group: g.name })}
                </Button>
              )}
            </div>
          );
        })}
      </section>

      <section aria-labelledby="step4-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="step4-heading">
          {t('qualWork.step4')}
        </Heading>
        <Paragraph data-size="sm">{t('qualWork.step4Help')}</Paragraph>
        {themes.map((theme) => {
          const groupIds = new Set([theme.id, ...subgroupsOf(theme.id).map((g) => g.id)]);
          const condensates = doc.condensates.filter((c) => groupIds.has(c.groupId));
          const paragraph = doc.synthesis.find((p) => p.groupId === theme.id);
          const savedParagraph = view.document.synthesis.find((p) => p.groupId === theme.id);
          const setSentences = (sentences: StcDocument['synthesis'][number]['sentences']) =>
            change((d) => ({
              ...d,
              synthesis: paragraph
                ? d.synthesis.map((p) => (p.id === paragraph.id ? { ...p, sentences } : p))
                : [...d.synthesis, { id: newId('p'), groupId: theme.id, sentences }],
            }));
          return (
            <div key={theme.id} className="stack-sm qual-group">
              <Heading level={3} data-size="2xs">
                {theme.name}
              </Heading>
              {(paragraph?.sentences ?? []).map((sentence, n) => (
                <div key={n} className="stack-sm">
                  <Field>
                    <Label htmlFor={`sentence-${theme.id}-${n}`}>
                      {t('qualWork.sentenceN', { theme: theme.name, number: n + 1 })}
                    </Label>
                    <Textarea
                      id={`sentence-${theme.id}-${n}`}
                      rows={2}
                      value={sentence.text}
                      readOnly={!mayEdit}
                      maxLength={2000}
                      onChange={(event) =>
                        setSentences(
                          paragraph!.sentences.map((s, i) =>
                            i === n ? { ...s, text: event.target.value } : s
                          )
                        )
                      }
                    />
                  </Field>
                  <Fieldset>
                    <Fieldset.Legend>{t('qualWork.restsOn')}</Fieldset.Legend>
                    {condensates.map((c, ci) => (
                      <Checkbox
                        key={c.id}
                        value={c.id}
                        disabled={!mayEdit}
                        label={c.text ? clip(c.text, 90) : t('qualWork.emptyCondensate', { number: ci + 1 })}
                        checked={sentence.condensateIds.includes(c.id)}
                        onChange={(event) =>
                          setSentences(
                            paragraph!.sentences.map((s, i) =>
                              i === n
                                ? {
                                    ...s,
                                    condensateIds: event.target.checked
                                      ? [...s.condensateIds, c.id]
                                      : s.condensateIds.filter((id) => id !== c.id),
                                  }
                                : s
                            )
                          )
                        }
                      />
                    ))}
                  </Fieldset>
                  {savedParagraph &&
                    savedParagraph.id === paragraph?.id &&
                    savedParagraph.sentences[n]?.text === sentence.text && (
                      <TraceButton
                        studyId={study.id}
                        analysisId={view.id}
                        paragraphId={savedParagraph.id}
                        sentence={n + 1}
                      />
                    )}
                </div>
              ))}
              {mayEdit && (
                <Button
                  variant="secondary"
                  data-size="sm"
                  onClick={() =>
                    setSentences([...(paragraph?.sentences ?? []), { text: '', condensateIds: [] }])
                  }
                >
                  {t('qualWork.addSentence', { theme: theme.name })}
                </Button>
              )}
            </div>
          );
        })}
      </section>

      {mayEdit && (
        <SaveBar dirty={dirty} busy={busy} error={error} onSave={() => void save()} onLoadNewest={onSaved} />
      )}
      {study.role === 'lead' && <ShareForm studyId={study.id} analysisId={view.id} disabled={dirty} />}
    </div>
  );
}

/** The text of every transcript the analysis points into (each read is audited by the server). */
function useSourceTexts(studyId: string, doc: StcDocument): ReadonlyMap<string, SourceText> {
  const [texts, setTexts] = useState<ReadonlyMap<string, SourceText>>(new Map());
  const wanted = useMemo(
    () => [...new Set(doc.meaningUnits.map((u) => u.sourceId))].sort().join(','),
    [doc.meaningUnits]
  );
  useEffect(() => {
    const controller = new AbortController();
    const missing = wanted.split(',').filter((id) => id && !texts.has(id));
    if (missing.length === 0) return;
    void Promise.all(
      missing.map((id) => qualitativeApi.source(studyId, id, controller.signal).catch(() => null))
    ).then((loaded) => {
      if (controller.signal.aborted) return;
      setTexts((old) => {
        const next = new Map(old);
        for (const s of loaded) if (s) next.set(s.id, s);
        return next;
      });
    });
    return () => controller.abort();
    // texts is read to skip what is loaded; adding it would refetch after every load
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [studyId, wanted]);
  return texts;
}

function AddLine({
  id,
  label,
  button,
  onAdd,
}: {
  id: string;
  label: string;
  button: string;
  onAdd: (value: string) => void;
}) {
  const [value, setValue] = useState('');
  const add = () => {
    if (!value.trim()) return;
    onAdd(value.trim());
    setValue('');
  };
  return (
    <div className="button-row qual-add-line">
      <Textfield
        id={id}
        label={label}
        value={value}
        maxLength={300}
        autoComplete="off"
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            add();
          }
        }}
      />
      <Button variant="secondary" data-size="sm" onClick={add}>
        {button}
      </Button>
    </div>
  );
}

function NewGroupForm({ themes, onAdd }: { themes: readonly Group[]; onAdd: (group: Group) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const add = () => {
    if (!name.trim()) return;
    onAdd({ id: newId('g'), name: name.trim(), parentId: parentId || null });
    setName('');
  };
  return (
    <div className="stack-sm">
      <Textfield
        id="new-group"
        label={t('qualWork.newGroup')}
        value={name}
        maxLength={200}
        autoComplete="off"
        onChange={(event) => setName(event.target.value)}
      />
      <Field>
        <Label htmlFor="new-group-parent">{t('qualWork.groupParent')}</Label>
        <Select id="new-group-parent" value={parentId} onChange={(event) => setParentId(event.target.value)}>
          <Select.Option value="">{t('qualWork.topLevel')}</Select.Option>
          {themes.map((g) => (
            <Select.Option key={g.id} value={g.id}>
              {g.name}
            </Select.Option>
          ))}
        </Select>
      </Field>
      <div>
        <Button variant="secondary" data-size="sm" onClick={add}>
          {t('qualWork.addGroup')}
        </Button>
      </div>
    </div>
  );
}

/** Where a saved synthesis sentence comes from: condensates, meaning units, transcript lines. */
function TraceButton({
  studyId,
  analysisId,
  paragraphId,
  sentence,
}: {
  studyId: string;
  analysisId: string;
  paragraphId: string;
  sentence: number;
}) {
  const { t } = useTranslation();
  const [trace, setTrace] = useState<SentenceTrace | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function load() {
    setError(null);
    try {
      setTrace(
        await qualitativeApi.trace(studyId, analysisId, paragraphId, sentence, new AbortController().signal)
      );
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <div className="stack-sm">
      <div>
        <Button variant="tertiary" data-size="sm" onClick={() => void load()}>
          {t('qualWork.trace', { number: sentence })}
        </Button>
      </div>
      {error !== null && <ProblemMessage error={error} />}
      {trace && (
        <div className="qual-trace stack-sm" aria-live="polite">
          {trace.condensates.map((c) => (
            <div key={c.condensateId} className="stack-sm">
              <Paragraph data-size="sm">
                <strong>{t('qualWork.condensate')}:</strong> {c.text}
              </Paragraph>
              <ul>
                {c.meaningUnits.map((u) => (
                  <li key={u.meaningUnitId}>
                    <AppLink to={`${studyPath(studyId)}/sources/${u.sourceId}#at-${u.start}`}>
                      {t('qualWork.tracedLines', {
                        title: u.sourceTitle,
                        from: u.lines.from,
                        to: u.lines.to,
                      })}
                    </AppLink>
                    : «{clip(u.quote)}»{u.isGoldenQuote ? ` (${t('qualWork.golden')})` : ''}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function ShareForm({
  studyId,
  analysisId,
  disabled,
}: {
  studyId: string;
  analysisId: string;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const [shared, setShared] = useState<{ id: string; revision: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function share() {
    setError(null);
    try {
      const view = await qualitativeApi.shareSynthesis(studyId, analysisId, message.trim());
      setShared({ id: view.id, revision: view.revision });
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <section aria-labelledby="share-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="share-heading">
        {t('qualWork.shareHeading')}
      </Heading>
      <Paragraph data-size="sm">{t('qualWork.shareHelp')}</Paragraph>
      <Field>
        <Label htmlFor="share-message">{t('qualWork.shareMessage')}</Label>
        <Textarea
          id="share-message"
          rows={3}
          maxLength={2000}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
        />
      </Field>
      <div>
        <Button variant="secondary" disabled={disabled} onClick={() => void share()}>
          {t('qualWork.share')}
        </Button>
      </div>
      {disabled && <Paragraph data-size="sm">{t('qualWork.saveBeforeSharing')}</Paragraph>}
      <div aria-live="polite">
        {shared && (
          <Alert data-color="success">
            {t('qualWork.sharedNow', { revision: shared.revision })}{' '}
            <AppLink to={`${studyPath(studyId)}/shares/${shared.id}`}>{t('qualWork.openShare')}</AppLink>
          </Alert>
        )}
        {error !== null && <ProblemMessage error={error} />}
      </div>
    </section>
  );
}
