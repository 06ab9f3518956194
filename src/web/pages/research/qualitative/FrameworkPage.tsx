/**
 * The framework method (Gale et al. 2013; issue 15), for the case studies: cases (rows) by themes
 * (columns), each theme charting some codes of the study's codebook. A cell shows the coded text
 * behind it, read from the server, and the summary the researcher writes from it ("charting"); an
 * empty cell is shown as such (it is a finding too), and a summary whose codings are gone (a
 * withdrawal, say) is flagged. Saved whole with its revision, like STC.
 */
import {
  Button,
  Checkbox,
  Field,
  Fieldset,
  Heading,
  Label,
  Paragraph,
  Table,
  Textarea,
  Textfield,
} from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type {
  CellQuotes,
  FrameworkDocument,
  FrameworkView,
} from '../../../../contract/qualitative-methods.js';
import { AppLink } from '../../../components/AppLink.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { ProblemMessage } from './ProblemMessage.js';
import { methodsApi } from './methods-api.js';
import { qualitativeApi, type Codebook, type StudyDetail } from './qualitative-api.js';
import { LoadingOrFailed, newPartId, SaveBar, useDocumentEditor } from './SaveBar.js';
import { studyPath } from './StudyWork.js';

export function FrameworkPage() {
  const { t } = useTranslation();
  const { studyId = '', analysisId = '' } = useParams();
  const view = useApiData(
    (signal) => methodsApi.framework(studyId, analysisId, signal),
    [studyId, analysisId]
  );
  const study = useApiData((signal) => qualitativeApi.study(studyId, signal), [studyId]);
  const codebook = useApiData((signal) => qualitativeApi.codebook(studyId, signal), [studyId]);
  usePageTitle(view.data?.title ?? t('qualMethods.frameworkHeading'));
  const waiting = <LoadingOrFailed studyId={studyId} loads={[view, study, codebook]} />;
  if (!view.data || !study.data || !codebook.data) return waiting;
  return (
    <FrameworkEditor
      key={view.data.revision}
      view={view.data}
      study={study.data}
      codebook={codebook.data}
      onSaved={view.reload}
    />
  );
}

function FrameworkEditor({
  view,
  study,
  codebook,
  onSaved,
}: {
  view: FrameworkView;
  study: StudyDetail;
  codebook: Codebook;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { doc, change, dirty, busy, error, save } = useDocumentEditor<FrameworkDocument>(
    view.document,
    (document) =>
      methodsApi.saveFramework(study.id, view.id, { revision: view.revision, title: view.title, document }),
    onSaved
  );
  const [open, setOpen] = useState<{ caseId: string; themeId: string } | null>(null);
  const mayEdit = study.role !== 'reader';
  const sources = study.sources.filter((s) => s.status === 'open_for_coding');
  const summaryOf = (caseId: string, themeId: string) =>
    doc.summaries.find((s) => s.caseId === caseId && s.themeId === themeId)?.text ?? '';
  const cellOf = (caseId: string, themeId: string) =>
    view.cells.flat().find((c) => c.caseId === caseId && c.themeId === themeId);

  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(study.id)}>{t('qual.back')}</AppLink>
      <PageHeading>{view.title}</PageHeading>
      <Paragraph>{t('qualMethods.frameworkIntro')}</Paragraph>
      <Paragraph data-size="sm">
        {t(view.codings === 'all' ? 'qualMethods.chartsAll' : 'qualMethods.chartsMine')}{' '}
        {t('qualWork.revision', { revision: view.revision })}
      </Paragraph>

      {mayEdit && (
        <section aria-labelledby="setup-heading" className="stack-sm">
          <Heading level={2} data-size="xs" id="setup-heading">
            {t('qualMethods.setupHeading')}
          </Heading>
          <div className="qual-columns">
            <NewRow
              legend={t('qualMethods.newCase')}
              nameLabel={t('qualMethods.caseLabel')}
              options={sources.map((s) => ({ id: s.id, label: s.title }))}
              optionsLegend={t('qualMethods.caseSources')}
              button={t('qualMethods.addCase')}
              onAdd={(label, ids) =>
                change((d) => ({
                  ...d,
                  cases: [...d.cases, { id: newPartId('case'), label, sourceIds: ids }],
                }))
              }
            />
            <NewRow
              legend={t('qualMethods.newTheme')}
              nameLabel={t('qualMethods.themeLabel')}
              options={codebook.codes.map((c) => ({ id: c.id, label: c.name }))}
              optionsLegend={t('qualMethods.themeCodes')}
              button={t('qualMethods.addTheme')}
              onAdd={(label, ids) =>
                change((d) => ({
                  ...d,
                  themes: [...d.themes, { id: newPartId('theme'), label, codeIds: ids }],
                }))
              }
            />
          </div>
        </section>
      )}

      <section aria-labelledby="matrix-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="matrix-heading">
          {t('qualMethods.matrixHeading')}
        </Heading>
        {dirty && <Paragraph data-size="sm">{t('qualMethods.matrixAfterSave')}</Paragraph>}
        {doc.cases.length === 0 || doc.themes.length === 0 ? (
          <Paragraph>{t('qualMethods.emptyMatrix')}</Paragraph>
        ) : (
          <Table data-size="sm" className="qual-matrix">
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('qualMethods.caseColumn')}</Table.HeaderCell>
                {doc.themes.map((theme) => (
                  <Table.HeaderCell key={theme.id}>{theme.label}</Table.HeaderCell>
                ))}
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {doc.cases.map((c) => (
                <Table.Row key={c.id}>
                  <Table.HeaderCell scope="row">{c.label}</Table.HeaderCell>
                  {doc.themes.map((theme) => {
                    const cell = cellOf(c.id, theme.id);
                    const summary = summaryOf(c.id, theme.id);
                    return (
                      <Table.Cell key={theme.id} data-status={cell?.status ?? 'unsaved'}>
                        <div className="stack-sm">
                          <span>
                            {cell
                              ? t(`qualMethods.status.${cell.status}`, { count: cell.codings })
                              : t('qualMethods.notSaved')}
                          </span>
                          {summary && (
                            <span>{summary.length > 120 ? `${summary.slice(0, 119)}…` : summary}</span>
                          )}
                          <Button
                            variant="tertiary"
                            data-size="sm"
                            aria-label={t('qualMethods.openCell', { case: c.label, theme: theme.label })}
                            onClick={() => setOpen({ caseId: c.id, themeId: theme.id })}
                          >
                            {t('qualMethods.open')}
                          </Button>
                        </div>
                      </Table.Cell>
                    );
                  })}
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        )}
      </section>

      {open && (
        <CellPanel
          key={`${open.caseId}-${open.themeId}`}
          studyId={study.id}
          analysisId={view.id}
          caseLabel={doc.cases.find((c) => c.id === open.caseId)?.label ?? ''}
          themeLabel={doc.themes.find((x) => x.id === open.themeId)?.label ?? ''}
          saved={!!cellOf(open.caseId, open.themeId)}
          caseId={open.caseId}
          themeId={open.themeId}
          summary={summaryOf(open.caseId, open.themeId)}
          mayEdit={mayEdit}
          onSummary={(text) =>
            change((d) => ({
              ...d,
              summaries: [
                ...d.summaries.filter((s) => !(s.caseId === open.caseId && s.themeId === open.themeId)),
                ...(text.trim() ? [{ caseId: open.caseId, themeId: open.themeId, text }] : []),
              ],
            }))
          }
        />
      )}

      {mayEdit && (
        <SaveBar dirty={dirty} busy={busy} error={error} onSave={() => void save()} onLoadNewest={onSaved} />
      )}
    </div>
  );
}

/** A new case (a pseudonym and its transcripts) or theme (a label and its codes). */
function NewRow({
  legend,
  nameLabel,
  options,
  optionsLegend,
  button,
  onAdd,
}: {
  legend: string;
  nameLabel: string;
  options: Array<{ id: string; label: string }>;
  optionsLegend: string;
  button: string;
  onAdd: (label: string, ids: string[]) => void;
}) {
  const [label, setLabel] = useState('');
  const [ids, setIds] = useState<string[]>([]);
  return (
    <Fieldset>
      <Fieldset.Legend>{legend}</Fieldset.Legend>
      <Textfield
        label={nameLabel}
        value={label}
        maxLength={200}
        onChange={(event) => setLabel(event.target.value)}
      />
      <Fieldset>
        <Fieldset.Legend>{optionsLegend}</Fieldset.Legend>
        {options.map((o) => (
          <Checkbox
            key={o.id}
            value={o.id}
            label={o.label}
            checked={ids.includes(o.id)}
            onChange={(event) =>
              setIds((all) => (event.target.checked ? [...all, o.id] : all.filter((x) => x !== o.id)))
            }
          />
        ))}
      </Fieldset>
      <div>
        <Button
          variant="secondary"
          data-size="sm"
          disabled={!label.trim()}
          onClick={() => {
            onAdd(label.trim(), ids);
            setLabel('');
            setIds([]);
          }}
        >
          {button}
        </Button>
      </div>
    </Fieldset>
  );
}

/** One cell: the coded text behind it (from the saved matrix) and its summary. */
function CellPanel(props: {
  studyId: string;
  analysisId: string;
  caseId: string;
  themeId: string;
  caseLabel: string;
  themeLabel: string;
  saved: boolean;
  summary: string;
  mayEdit: boolean;
  onSummary: (text: string) => void;
}) {
  const { t } = useTranslation();
  const quotes = useApiData(
    (signal) =>
      props.saved
        ? methodsApi.cell(props.studyId, props.analysisId, props.caseId, props.themeId, signal)
        : Promise.resolve<CellQuotes>({ quotes: [] }),
    [props.studyId, props.analysisId, props.caseId, props.themeId, props.saved]
  );
  return (
    <section aria-labelledby="cell-heading" className="stack-sm qual-group">
      <Heading level={2} data-size="xs" id="cell-heading">
        {t('qualMethods.cellHeading', { case: props.caseLabel, theme: props.themeLabel })}
      </Heading>
      {quotes.status === 'error' && <ProblemMessage error={quotes.error} />}
      {quotes.data && quotes.data.quotes.length === 0 && <Paragraph>{t('qualMethods.noQuotes')}</Paragraph>}
      {quotes.data && quotes.data.quotes.length > 0 && (
        <ul className="stack-sm qual-quotes">
          {quotes.data.quotes.map((q) => (
            <li key={q.codingId}>
              «{q.text}» (
              <AppLink to={`${studyPath(props.studyId)}/sources/${q.sourceId}#at-${q.start}`}>
                {[q.speaker, q.sourceTitle, t('qualMethods.lines', { from: q.lines.from, to: q.lines.to })]
                  .filter(Boolean)
                  .join(', ')}
              </AppLink>
              ; {q.code}, {q.coder})
            </li>
          ))}
        </ul>
      )}
      <Field>
        <Label htmlFor="cell-summary">{t('qualMethods.summary')}</Label>
        <Textarea
          id="cell-summary"
          rows={4}
          maxLength={10_000}
          readOnly={!props.mayEdit}
          value={props.summary}
          onChange={(event) => props.onSummary(event.target.value)}
        />
      </Field>
    </section>
  );
}
