/**
 * The study lead's work on the study page (issue 15): import a transcript, withdraw a participant,
 * start an STC analysis. Each form says what went wrong in the field's own words (the server's
 * problem names the field and the reason) and keeps what the researcher typed.
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
  Radio,
  Select,
  Table,
  Textfield,
} from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { ProblemMessage } from './ProblemMessage.js';
import type { RefiImportResult } from '../../../../contract/qualitative-exchange.js';
import { methodsApi } from './methods-api.js';
import { qualitativeApi, type StudyDetail, type WithdrawalRecord } from './qualitative-api.js';
import { StepUpDownloadLink } from '../../../components/StepUpDownloadLink.js';

export const studyPath = (studyId: string) => `/research/qualitative/${studyId}`;

/** The file's bytes as base64, as the import body carries them. */
export async function fileAsBase64(file: File): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
  return url.slice(url.indexOf(',') + 1);
}

export function ImportTranscriptForm({ study }: { study: StudyDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [language, setLanguage] = useState<'nb' | 'en'>('nb');
  const [eventId, setEventId] = useState('');
  const [participantIds, setParticipantIds] = useState<string[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState<'title' | 'file' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const speakers = study.participants.filter((p) => !p.withdrawn);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    if (!title.trim()) return setMissing('title');
    if (!file) return setMissing('file');
    setMissing(null);
    setBusy(true);
    try {
      const imported = await qualitativeApi.importSource(study.id, {
        title: title.trim(),
        language,
        ...(eventId ? { eventId } : {}),
        participantIds,
        fileName: file.name,
        content: await fileAsBase64(file),
      });
      void navigate(`${studyPath(study.id)}/sources/${imported.id}/review`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="import-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="import-heading">
        {t('qualWork.importHeading')}
      </Heading>
      <Paragraph data-size="sm">{t('qualWork.importIntro')}</Paragraph>
      <form className="stack-sm" noValidate onSubmit={(event) => void onSubmit(event)}>
        <Textfield
          id="import-title"
          label={t('qualWork.title')}
          value={title}
          maxLength={200}
          autoComplete="off"
          error={missing === 'title' ? t('qualWork.titleRequired') : undefined}
          onChange={(event) => setTitle(event.target.value)}
        />
        <Fieldset>
          <Fieldset.Legend>{t('qualWork.language')}</Fieldset.Legend>
          {(['nb', 'en'] as const).map((value) => (
            <Radio
              key={value}
              name="import-language"
              value={value}
              label={t(`qualWork.languages.${value}`)}
              checked={language === value}
              onChange={() => setLanguage(value)}
            />
          ))}
        </Fieldset>
        <Field>
          <Label htmlFor="import-event">{t('qualWork.event')}</Label>
          <Select id="import-event" value={eventId} onChange={(event) => setEventId(event.target.value)}>
            <Select.Option value="">{t('qualWork.noEvent')}</Select.Option>
            {study.events.map((e) => (
              <Select.Option key={e.id} value={e.id}>
                {t(`qualWork.eventKinds.${e.kind}`, { number: e.number })} ({e.heldOn})
              </Select.Option>
            ))}
          </Select>
        </Field>
        {speakers.length > 0 && (
          <Fieldset>
            <Fieldset.Legend>{t('qualWork.speakers')}</Fieldset.Legend>
            <Fieldset.Description>{t('qualWork.speakersHelp')}</Fieldset.Description>
            {speakers.map((p) => (
              <Checkbox
                key={p.id}
                value={p.id}
                label={p.pseudonym}
                checked={participantIds.includes(p.id)}
                onChange={(event) =>
                  setParticipantIds((ids) =>
                    event.target.checked ? [...ids, p.id] : ids.filter((id) => id !== p.id)
                  )
                }
              />
            ))}
          </Fieldset>
        )}
        <Field>
          <Label htmlFor="import-file">{t('qualWork.file')}</Label>
          <Field.Description>{t('qualWork.fileHelp')}</Field.Description>
          <input
            id="import-file"
            type="file"
            accept=".docx,.txt,.vtt,.srt"
            aria-invalid={missing === 'file' ? true : undefined}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          {missing === 'file' && <Paragraph data-size="sm">{t('qualWork.fileRequired')}</Paragraph>}
        </Field>
        <div aria-live="polite">{error !== null && <ProblemMessage error={error} />}</div>
        <div>
          <Button type="submit" loading={busy}>
            {t('qualWork.import')}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** Participants under their pseudonyms; the lead can record a withdrawal (asked twice). */
export function ParticipantsSection({ study, onChanged }: { study: StudyDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [record, setRecord] = useState<(WithdrawalRecord & { pseudonym: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const isLead = study.role === 'lead';

  async function withdraw(participantId: string, pseudonym: string) {
    setError(null);
    try {
      const done = await qualitativeApi.withdraw(study.id, participantId);
      setRecord({ ...done, pseudonym });
      setConfirming(null);
      onChanged();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-labelledby="participants-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="participants-heading">
        {t('qualWork.participantsHeading')}
      </Heading>
      <div aria-live="polite">
        {record && (
          <Alert data-color="success">
            {t('qualWork.withdrawn', {
              pseudonym: record.pseudonym,
              turns: record.turnsRemoved,
              sources: record.sourcesAffected,
              codings: record.codingsRemoved,
              units: record.meaningUnitsRemoved,
              condensates: record.condensatesToReview,
            })}
          </Alert>
        )}
        {error !== null && <ProblemMessage error={error} />}
      </div>
      <Table>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('qualWork.pseudonym')}</Table.HeaderCell>
            <Table.HeaderCell>{t('qualWork.consent')}</Table.HeaderCell>
            {isLead && <Table.HeaderCell>{t('qualWork.action')}</Table.HeaderCell>}
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {study.participants.map((p) => (
            <Table.Row key={p.id}>
              <Table.Cell>{p.pseudonym}</Table.Cell>
              <Table.Cell>
                {p.withdrawn
                  ? t('qualWork.hasWithdrawn')
                  : p.consentVersion
                    ? t('qualWork.consentVersion', { version: p.consentVersion })
                    : t('qualWork.noConsent')}
                {p.consentFormId && (
                  <>
                    {' '}
                    <StepUpDownloadLink
                      href={`/api/research/qualitative/studies/${study.id}/participants/${p.id}/consents/${p.consentFormId}/form`}
                    >
                      {t('qualWork.consentForm', { pseudonym: p.pseudonym })}
                    </StepUpDownloadLink>
                  </>
                )}
              </Table.Cell>
              {isLead && (
                <Table.Cell>
                  {!p.withdrawn && confirming !== p.id && (
                    <Button variant="secondary" data-size="sm" onClick={() => setConfirming(p.id)}>
                      {t('qualWork.withdraw', { pseudonym: p.pseudonym })}
                    </Button>
                  )}
                  {confirming === p.id && (
                    <div className="stack-sm">
                      <Paragraph data-size="sm">{t('qualWork.withdrawWarning')}</Paragraph>
                      <div className="button-row">
                        <Button
                          data-color="danger"
                          data-size="sm"
                          onClick={() => void withdraw(p.id, p.pseudonym)}
                        >
                          {t('qualWork.confirmWithdraw', { pseudonym: p.pseudonym })}
                        </Button>
                        <Button variant="tertiary" data-size="sm" onClick={() => setConfirming(null)}>
                          {t('qualWork.cancel')}
                        </Button>
                      </div>
                    </div>
                  )}
                </Table.Cell>
              )}
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </section>
  );
}

export function NewAnalysisForm({ studyId }: { studyId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!title.trim()) return setMissing(true);
    setMissing(false);
    setError(null);
    try {
      const created = await qualitativeApi.createAnalysis(studyId, title.trim());
      void navigate(`${studyPath(studyId)}/stc/${created.id}`);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <form className="stack-sm" noValidate onSubmit={(event) => void onSubmit(event)}>
      <Textfield
        id="new-analysis-title"
        label={t('qualWork.newAnalysis')}
        value={title}
        maxLength={200}
        autoComplete="off"
        error={missing ? t('qualWork.titleRequired') : undefined}
        onChange={(event) => setTitle(event.target.value)}
      />
      {error !== null && <ProblemMessage error={error} />}
      <div>
        <Button type="submit" variant="secondary">
          {t('qualWork.startAnalysis')}
        </Button>
      </div>
    </form>
  );
}

/** The framework matrices and thematic analyses of the study, and a form to start one. */
export function MethodsSection({ studyId, mayStart }: { studyId: string; mayStart: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useApiData((signal) => methodsApi.list(studyId, signal), [studyId]);
  const [title, setTitle] = useState('');
  const [method, setMethod] = useState<'framework' | 'thematic'>('framework');
  const [error, setError] = useState<unknown>(null);

  async function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!title.trim()) return;
    setError(null);
    try {
      const created = await methodsApi.create(studyId, method, title.trim());
      void navigate(`${studyPath(studyId)}/${method}/${created.id}`);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-labelledby="methods-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="methods-heading">
        {t('qualMethods.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('qualMethods.intro')}</Paragraph>
      {list.data && list.data.analyses.length > 0 && (
        <ul className="stack-sm">
          {list.data.analyses.map((a) => (
            <li key={a.id}>
              <AppLink
                to={`${studyPath(studyId)}/${a.method === 'framework' ? 'framework' : 'thematic'}/${a.id}`}
              >
                {a.title}
              </AppLink>{' '}
              ({t(`qualMethods.methods.${a.method}`)})
            </li>
          ))}
        </ul>
      )}
      {mayStart && (
        <form className="stack-sm" noValidate onSubmit={(event) => void start(event)}>
          <Fieldset>
            <Fieldset.Legend>{t('qualMethods.method')}</Fieldset.Legend>
            {(['framework', 'thematic'] as const).map((m) => (
              <Radio
                key={m}
                name="new-method"
                value={m}
                label={t(`qualMethods.methods.${m === 'framework' ? 'framework' : 'reflexive_ta'}`)}
                checked={method === m}
                onChange={() => setMethod(m)}
              />
            ))}
          </Fieldset>
          <Textfield
            id="new-method-title"
            label={t('qualMethods.newTitle')}
            value={title}
            maxLength={200}
            autoComplete="off"
            onChange={(event) => setTitle(event.target.value)}
          />
          {error !== null && <ProblemMessage error={error} />}
          <div>
            <Button type="submit" variant="secondary" disabled={!title.trim()}>
              {t('qualMethods.start')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

/** The lead imports a REFI-QDA project from another tool; the answer says what came in and what did not. */
export function RefiImportForm({ studyId, onImported }: { studyId: string; onImported: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [language, setLanguage] = useState<'nb' | 'en'>('nb');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RefiImportResult | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(
        await qualitativeApi.importProject(studyId, {
          fileName: file.name,
          content: await fileAsBase64(file),
          language,
        })
      );
      onImported();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="refi-import-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="refi-import-heading">
        {t('qualWork.refiHeading')}
      </Heading>
      <Paragraph data-size="sm">{t('qualWork.refiIntro')}</Paragraph>
      <form className="stack-sm" noValidate onSubmit={(event) => void onSubmit(event)}>
        <Field>
          <Label htmlFor="refi-file">{t('qualWork.refiFile')}</Label>
          <input
            id="refi-file"
            type="file"
            accept=".qdpx,.qde"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </Field>
        <Fieldset>
          <Fieldset.Legend>{t('qualWork.language')}</Fieldset.Legend>
          {(['nb', 'en'] as const).map((value) => (
            <Radio
              key={value}
              name="refi-language"
              value={value}
              label={t(`qualWork.languages.${value}`)}
              checked={language === value}
              onChange={() => setLanguage(value)}
            />
          ))}
        </Fieldset>
        <div>
          <Button type="submit" variant="secondary" disabled={!file} loading={busy}>
            {t('qualWork.refiImport')}
          </Button>
        </div>
      </form>
      <div aria-live="polite">
        {error !== null && <ProblemMessage error={error} />}
        {result && (
          <Alert data-color="success">
            <Paragraph>
              {t('qualWork.refiDone', {
                sources: result.sources.length,
                created: result.codesCreated,
                reused: result.codesReused,
                codings: result.codingsPending,
                memos: result.memosPending + result.memosCreated,
              })}
            </Paragraph>
            {result.notStored.length > 0 && (
              <>
                <Paragraph>{t('qualWork.refiNotStored')}</Paragraph>
                <ul>
                  {result.notStored.map((p) => (
                    <li key={`${p.kind}-${p.path}-${p.name}`}>
                      {p.path} {p.name} ({p.count}){p.note ? `: ${p.note}` : ''}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Alert>
        )}
      </div>
    </section>
  );
}
