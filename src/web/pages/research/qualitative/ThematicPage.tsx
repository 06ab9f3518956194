/**
 * Reflexive thematic analysis (Braun and Clarke 2006, 2021; issue 15) on the study's codes and
 * codings: familiarisation notes per transcript (phase 1), coding on the transcript pages (2),
 * candidate themes clustering codes (3), reviewing them, kept or discarded (4), defining and naming
 * with a central organising concept (5), and the write-up with its data extracts (6); beside it a
 * dated reflexive journal. Phases are the domain's (reflexive-ta.ts); nothing counts or ranks a
 * theme. Saved whole with its revision; what is unfinished is listed, not refused.
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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { ThematicDocument, ThematicView } from '../../../../contract/qualitative-methods.js';
import { THEME_STATUSES } from '../../../../domain/qualitative/reflexive-ta.js';
import { AppLink } from '../../../components/AppLink.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { methodsApi } from './methods-api.js';
import { qualitativeApi, type Codebook, type StudyDetail } from './qualitative-api.js';
import { LoadingOrFailed, newPartId, SaveBar, useDocumentEditor } from './SaveBar.js';
import { studyPath } from './StudyWork.js';

type Theme = ThematicDocument['themes'][number];

export function ThematicPage() {
  const { t } = useTranslation();
  const { studyId = '', analysisId = '' } = useParams();
  const view = useApiData(
    (signal) => methodsApi.thematic(studyId, analysisId, signal),
    [studyId, analysisId]
  );
  const study = useApiData((signal) => qualitativeApi.study(studyId, signal), [studyId]);
  const codebook = useApiData((signal) => qualitativeApi.codebook(studyId, signal), [studyId]);
  usePageTitle(view.data?.title ?? t('qualMethods.thematicHeading'));
  const waiting = <LoadingOrFailed studyId={studyId} loads={[view, study, codebook]} />;
  if (!view.data || !study.data || !codebook.data) return waiting;
  return (
    <ThematicEditor
      key={view.data.revision}
      view={view.data}
      study={study.data}
      codebook={codebook.data}
      onSaved={view.reload}
    />
  );
}

function ThematicEditor({
  view,
  study,
  codebook,
  onSaved,
}: {
  view: ThematicView;
  study: StudyDetail;
  codebook: Codebook;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { doc, change, dirty, busy, error, save } = useDocumentEditor<ThematicDocument>(
    view.document,
    (document) =>
      methodsApi.saveThematic(study.id, view.id, { revision: view.revision, title: view.title, document }),
    onSaved
  );
  const [newTheme, setNewTheme] = useState('');
  const [journalText, setJournalText] = useState('');
  const mayEdit = study.role !== 'reader';
  const sources = study.sources.filter((s) => s.status === 'open_for_coding');
  const updateTheme = (id: string, patch: Partial<Theme>) =>
    change((d) => ({ ...d, themes: d.themes.map((x) => (x.id === id ? { ...x, ...patch } : x)) }));

  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(study.id)}>{t('qual.back')}</AppLink>
      <PageHeading>{view.title}</PageHeading>
      <Paragraph>{t('qualMethods.thematicIntro')}</Paragraph>
      <Paragraph data-size="sm">{t('qualWork.revision', { revision: view.revision })}</Paragraph>
      {view.openPoints.length > 0 && (
        <Alert data-color="warning">
          <Heading level={2} data-size="2xs">
            {t('qualWork.openPoints', { count: view.openPoints.length })}
          </Heading>
          <ul>
            {view.openPoints.map((p) => (
              <li key={`${p.path}-${p.reason}`}>
                {t(`qualMethods.openPoint.${p.reason}`, { defaultValue: p.message })}
              </li>
            ))}
          </ul>
        </Alert>
      )}

      <section aria-labelledby="phase1-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="phase1-heading">
          {t('qualMethods.phase1')}
        </Heading>
        {sources.map((s) => {
          const notes = doc.familiarisation.find((f) => f.sourceId === s.id)?.notes ?? '';
          return (
            <Field key={s.id}>
              <Label htmlFor={`familiar-${s.id}`}>{t('qualMethods.notesOn', { title: s.title })}</Label>
              <Textarea
                id={`familiar-${s.id}`}
                rows={3}
                maxLength={10_000}
                readOnly={!mayEdit}
                value={notes}
                onChange={(event) =>
                  change((d) => ({
                    ...d,
                    familiarisation: [
                      ...d.familiarisation.filter((f) => f.sourceId !== s.id),
                      ...(event.target.value ? [{ sourceId: s.id, notes: event.target.value }] : []),
                    ],
                  }))
                }
              />
            </Field>
          );
        })}
        <Paragraph data-size="sm">{t('qualMethods.phase2')}</Paragraph>
      </section>

      <section aria-labelledby="themes-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="themes-heading">
          {t('qualMethods.themesHeading')}
        </Heading>
        {doc.themes.map((theme, i) => {
          const progress = view.themes.find((x) => x.id === theme.id);
          return (
            <Fieldset key={theme.id} className="qual-group">
              <Fieldset.Legend>
                {theme.name}
                {progress ? ` — ${t('qualMethods.phaseN', { phase: progress.phase })}` : ''}
              </Fieldset.Legend>
              <Textfield
                label={t('qualMethods.themeName', { number: i + 1 })}
                value={theme.name}
                maxLength={200}
                readOnly={!mayEdit}
                onChange={(event) => updateTheme(theme.id, { name: event.target.value })}
              />
              <Field>
                <Label htmlFor={`status-${theme.id}`}>
                  {t('qualMethods.statusOf', { name: theme.name })}
                </Label>
                <Select
                  id={`status-${theme.id}`}
                  value={theme.status}
                  disabled={!mayEdit}
                  onChange={(event) =>
                    updateTheme(theme.id, { status: event.target.value as Theme['status'] })
                  }
                >
                  {THEME_STATUSES.map((s) => (
                    <Select.Option key={s} value={s}>
                      {t(`qualMethods.themeStatus.${s}`)}
                    </Select.Option>
                  ))}
                </Select>
              </Field>
              <Fieldset>
                <Fieldset.Legend>{t('qualMethods.codesOf', { name: theme.name })}</Fieldset.Legend>
                {codebook.codes.map((c) => (
                  <Checkbox
                    key={c.id}
                    value={c.id}
                    label={c.name}
                    disabled={!mayEdit}
                    checked={theme.codeIds.includes(c.id)}
                    onChange={(event) =>
                      updateTheme(theme.id, {
                        codeIds: event.target.checked
                          ? [...theme.codeIds, c.id]
                          : theme.codeIds.filter((x) => x !== c.id),
                      })
                    }
                  />
                ))}
              </Fieldset>
              <Textfield
                label={t('qualMethods.centralConcept', { name: theme.name })}
                value={theme.centralConcept}
                maxLength={1000}
                readOnly={!mayEdit}
                onChange={(event) => updateTheme(theme.id, { centralConcept: event.target.value })}
              />
              <Field>
                <Label htmlFor={`definition-${theme.id}`}>
                  {t('qualMethods.definition', { name: theme.name })}
                </Label>
                <Textarea
                  id={`definition-${theme.id}`}
                  rows={3}
                  maxLength={10_000}
                  readOnly={!mayEdit}
                  value={theme.definition}
                  onChange={(event) => updateTheme(theme.id, { definition: event.target.value })}
                />
              </Field>
              <Extracts
                studyId={study.id}
                compareAll={study.role !== 'coder'}
                sourceIds={sources.map((s) => s.id)}
                theme={theme}
                mayEdit={mayEdit}
                onChange={(ids) => updateTheme(theme.id, { extractCodingIds: ids })}
              />
              <Field>
                <Label htmlFor={`writeup-${theme.id}`}>
                  {t('qualMethods.writeUp', { name: theme.name })}
                </Label>
                <Textarea
                  id={`writeup-${theme.id}`}
                  rows={5}
                  maxLength={40_000}
                  readOnly={!mayEdit}
                  value={theme.writeUp}
                  onChange={(event) => updateTheme(theme.id, { writeUp: event.target.value })}
                />
              </Field>
            </Fieldset>
          );
        })}
        {mayEdit && (
          <div className="button-row qual-add-line">
            <Textfield
              label={t('qualMethods.newCandidate')}
              value={newTheme}
              maxLength={200}
              onChange={(event) => setNewTheme(event.target.value)}
            />
            <Button
              variant="secondary"
              data-size="sm"
              disabled={!newTheme.trim()}
              onClick={() => {
                change((d) => ({
                  ...d,
                  themes: [
                    ...d.themes,
                    {
                      id: newPartId('theme'),
                      name: newTheme.trim(),
                      status: 'candidate',
                      centralConcept: '',
                      definition: '',
                      codeIds: [],
                      extractCodingIds: [],
                      writeUp: '',
                    },
                  ],
                }));
                setNewTheme('');
              }}
            >
              {t('qualMethods.addCandidate')}
            </Button>
          </div>
        )}
      </section>

      <section aria-labelledby="journal-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="journal-heading">
          {t('qualMethods.journalHeading')}
        </Heading>
        <Paragraph data-size="sm">{t('qualMethods.journalHelp')}</Paragraph>
        <ul className="stack-sm">
          {doc.journal.map((entry, i) => (
            <li key={`${entry.date}-${i}`}>
              <strong>{entry.date}</strong>: {entry.text}
            </li>
          ))}
        </ul>
        {mayEdit && (
          <div className="stack-sm">
            <Field>
              <Label htmlFor="journal-entry">{t('qualMethods.journalEntry')}</Label>
              <Textarea
                id="journal-entry"
                rows={3}
                maxLength={10_000}
                value={journalText}
                onChange={(event) => setJournalText(event.target.value)}
              />
            </Field>
            <div>
              <Button
                variant="secondary"
                data-size="sm"
                disabled={!journalText.trim()}
                onClick={() => {
                  change((d) => ({
                    ...d,
                    journal: [
                      ...d.journal,
                      { date: new Date().toISOString().slice(0, 10), text: journalText.trim() },
                    ],
                  }));
                  setJournalText('');
                }}
              >
                {t('qualMethods.addJournal')}
              </Button>
            </div>
          </div>
        )}
      </section>

      {mayEdit && (
        <SaveBar dirty={dirty} busy={busy} error={error} onSave={() => void save()} onLoadNewest={onSaved} />
      )}
    </div>
  );
}

/** The coded text of the theme's codes, to choose the extracts the write-up rests on. */
function Extracts({
  studyId,
  compareAll,
  sourceIds,
  theme,
  mayEdit,
  onChange,
}: {
  studyId: string;
  compareAll: boolean;
  sourceIds: readonly string[];
  theme: Theme;
  mayEdit: boolean;
  onChange: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const codings = useApiData(
    async (signal) => {
      if (!shown) return [];
      const loaded = await Promise.all(
        sourceIds.map(async (id) => {
          const [source, list] = await Promise.all([
            qualitativeApi.source(studyId, id, signal),
            qualitativeApi.codings(studyId, id, signal, compareAll ? 'all' : 'me'),
          ]);
          return list.codings.map((c) => ({
            ...c,
            quote: source.text.slice(c.start, c.end),
            title: source.title,
          }));
        })
      );
      return loaded.flat();
    },
    [studyId, shown, compareAll, sourceIds.join(',')]
  );
  const mine = (codings.data ?? []).filter((c) => theme.codeIds.includes(c.codeId));
  return (
    <div className="stack-sm">
      <Paragraph data-size="sm">
        {t('qualMethods.extractCount', { count: theme.extractCodingIds.length })}
      </Paragraph>
      {!shown ? (
        <div>
          <Button variant="tertiary" data-size="sm" onClick={() => setShown(true)}>
            {t('qualMethods.chooseExtracts', { name: theme.name })}
          </Button>
        </div>
      ) : codings.data === null ? (
        <Loading />
      ) : (
        <Fieldset>
          <Fieldset.Legend>{t('qualMethods.extractsOf', { name: theme.name })}</Fieldset.Legend>
          {mine.length === 0 && <Paragraph data-size="sm">{t('qualMethods.noExtracts')}</Paragraph>}
          {mine.map((c) => (
            <Checkbox
              key={c.id}
              value={c.id}
              disabled={!mayEdit}
              label={`«${c.quote.length > 100 ? `${c.quote.slice(0, 99)}…` : c.quote}» (${c.title}, ${c.coderName})`}
              checked={theme.extractCodingIds.includes(c.id)}
              onChange={(event) =>
                onChange(
                  event.target.checked
                    ? [...theme.extractCodingIds, c.id]
                    : theme.extractCodingIds.filter((x) => x !== c.id)
                )
              }
            />
          ))}
        </Fieldset>
      )}
    </div>
  );
}
