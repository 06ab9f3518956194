/**
 * The researcher's qualitative pages (issue 15): the studies the researcher is a member of; a
 * study with its participants, transcripts (the lead imports and de-identifies them), a full-text
 * search whose keyword-in-context lines lead to the place in the transcript, its STC analyses and
 * what has been shared with the user group with their comments. Coding is on CodingPage, the
 * de-identification review on ReviewPage, agreement on AgreementPage, the STC steps on StcPage.
 */
import { Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { formatDate } from '../../../format.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { qualitativeApi, type SearchResult } from './qualitative-api.js';
import {
  ImportTranscriptForm,
  MethodsSection,
  NewAnalysisForm,
  ParticipantsSection,
  RefiImportForm,
  studyPath,
} from './StudyWork.js';
import './i18n.js';
import { StepUpDownloadLink } from '../../../components/StepUpDownloadLink.js';

export function QualitativeStudiesPage() {
  const { t } = useTranslation();
  usePageTitle(t('qual.heading'));
  const studies = useApiData((signal) => qualitativeApi.studies(signal), []);
  return (
    <div className="page stack-lg">
      <PageHeading>{t('qual.heading')}</PageHeading>
      <Paragraph>{t('qual.intro')}</Paragraph>
      {studies.status === 'error' && <LoadError error={studies.error} onRetry={studies.reload} />}
      {studies.data === null && studies.status === 'loading' && <Loading />}
      {studies.data && studies.data.studies.length === 0 && <Paragraph>{t('qual.none')}</Paragraph>}
      {studies.data && studies.data.studies.length > 0 && (
        <ul className="stack-sm">
          {studies.data.studies.map((s) => (
            <li key={s.id}>
              <AppLink to={studyPath(s.id)}>{s.title}</AppLink>{' '}
              <span>({t('qual.role', { role: t(`qual.roles.${s.role}`) })})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function QualitativeStudyPage() {
  const { t } = useTranslation();
  const { studyId = '' } = useParams();
  const study = useApiData((signal) => qualitativeApi.study(studyId, signal), [studyId]);
  usePageTitle(study.data?.title ?? t('qual.heading'));
  if (study.status === 'error' && !study.data)
    return <LoadError error={study.error} onRetry={study.reload} />;
  if (!study.data) return <Loading />;
  const detail = study.data;
  return (
    <div className="page stack-lg">
      <AppLink to="/research/qualitative">{t('qual.heading')}</AppLink>
      <PageHeading>{detail.title}</PageHeading>
      <Paragraph>
        {t('qual.role', { role: t(`qual.roles.${detail.role}`) })} ·{' '}
        {t('qual.participants', { count: detail.participants.length })}
      </Paragraph>
      <section aria-labelledby="sources-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="sources-heading">
          {t('qual.sourcesHeading')}
        </Heading>
        <ul className="stack-sm">
          {detail.sources.map((s) => (
            <li key={s.id}>
              {s.status === 'open_for_coding' ? (
                <AppLink to={`${studyPath(studyId)}/sources/${s.id}`}>{s.title}</AppLink>
              ) : s.status === 'deidentifying' && detail.role === 'lead' ? (
                <AppLink to={`${studyPath(studyId)}/sources/${s.id}/review`}>{s.title}</AppLink>
              ) : (
                s.title
              )}{' '}
              ({t(`qual.sourceStatus.${s.status}`)})
            </li>
          ))}
        </ul>
        <ul className="stack-sm">
          <li>
            <AppLink to={`${studyPath(studyId)}/codebook`}>{t('qualCodebook.heading')}</AppLink>
          </li>
          <li>
            <AppLink to={`${studyPath(studyId)}/agreement`}>{t('qualWork.agreementLink')}</AppLink>
          </li>
          <li>
            <StepUpDownloadLink href={`/api/research/qualitative/studies/${studyId}/quotations.docx`}>
              {t('qualWork.myQuotations')}
            </StepUpDownloadLink>
          </li>
          {detail.role !== 'coder' && (
            <li>
              <StepUpDownloadLink
                href={`/api/research/qualitative/studies/${studyId}/quotations.docx?coder=all`}
              >
                {t('qualWork.allQuotations')}
              </StepUpDownloadLink>
            </li>
          )}
        </ul>
      </section>
      {detail.role === 'lead' && <ImportTranscriptForm study={detail} />}
      {detail.role === 'lead' && <RefiImportForm studyId={studyId} onImported={study.reload} />}
      <ParticipantsSection study={detail} onChanged={study.reload} />
      <SearchSection studyId={studyId} />
      <AnalysesSection studyId={studyId} mayStart={detail.role !== 'reader'} />
      <MethodsSection studyId={studyId} mayStart={detail.role !== 'reader'} />
      <SharesSection studyId={studyId} />
    </div>
  );
}

function SearchSection({ studyId }: { studyId: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!q.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await qualitativeApi.search(studyId, q.trim(), new AbortController().signal));
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="search-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="search-heading">
        {t('qual.searchHeading')}
      </Heading>
      <form className="stack-sm" role="search" onSubmit={(event) => void onSubmit(event)}>
        <Textfield
          id="qual-search"
          label={t('qual.searchLabel')}
          description={t('qual.searchHelp')}
          value={q}
          maxLength={200}
          autoComplete="off"
          onChange={(event) => setQ(event.target.value)}
        />
        <div>
          <Button type="submit" loading={busy}>
            {t('qual.search')}
          </Button>
        </div>
      </form>
      <div aria-live="polite">
        {error && <Paragraph>{error}</Paragraph>}
        {result && (
          <Paragraph>
            {result.lines.length === 0
              ? t('qual.noHits')
              : t('qual.hits', { count: result.lines.length, sources: result.sourcesMatched })}
          </Paragraph>
        )}
      </div>
      {result && result.lines.length > 0 && (
        <ol className="stack-sm qual-kwic">
          {result.lines.map((line) => (
            <li key={`${line.sourceId}-${line.offset}`}>
              <AppLink to={`${studyPath(studyId)}/sources/${line.sourceId}#at-${line.offset}`}>
                {line.sourceTitle}
              </AppLink>
              : …{line.before}
              <mark>{line.hit}</mark>
              {line.after}…
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function AnalysesSection({ studyId, mayStart }: { studyId: string; mayStart: boolean }) {
  const { t } = useTranslation();
  const analyses = useApiData((signal) => qualitativeApi.analyses(studyId, signal), [studyId]);
  return (
    <section aria-labelledby="analyses-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="analyses-heading">
        {t('qual.analysesHeading')}
      </Heading>
      {analyses.status === 'error' && <LoadError error={analyses.error} onRetry={analyses.reload} />}
      {analyses.data && analyses.data.analyses.length === 0 && <Paragraph>{t('qual.noAnalyses')}</Paragraph>}
      {analyses.data?.analyses.map((a) => (
        <div key={a.id}>
          <Paragraph>
            <AppLink to={`${studyPath(studyId)}/stc/${a.id}`}>{a.title}</AppLink>
          </Paragraph>
          <Paragraph data-size="sm">
            {t('qual.themesAtStep', {
              step1: a.themesAtStep[0],
              step2: a.themesAtStep[1],
              step3: a.themesAtStep[2],
              step4: a.themesAtStep[3],
            })}
          </Paragraph>
        </div>
      ))}
      {mayStart && <NewAnalysisForm studyId={studyId} />}
    </section>
  );
}

function SharesSection({ studyId }: { studyId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const shares = useApiData((signal) => qualitativeApi.shares(studyId, signal), [studyId]);
  return (
    <section aria-labelledby="shares-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="shares-heading">
        {t('qual.sharesHeading')}
      </Heading>
      {shares.status === 'error' && <LoadError error={shares.error} onRetry={shares.reload} />}
      {shares.data && shares.data.shares.length === 0 && <Paragraph>{t('qual.noShares')}</Paragraph>}
      {shares.data && shares.data.shares.length > 0 && (
        <ul className="stack-sm">
          {shares.data.shares.map((s) => (
            <li key={s.id}>
              <AppLink to={`${studyPath(studyId)}/shares/${s.id}`}>
                {t('qual.shared', {
                  title: s.analysisTitle,
                  revision: s.revision,
                  date: formatDate(s.sharedAt, language),
                  count: s.comments,
                })}
              </AppLink>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function QualitativeSharePage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { studyId = '', shareId = '' } = useParams();
  const share = useApiData((signal) => qualitativeApi.share(studyId, shareId, signal), [studyId, shareId]);
  usePageTitle(share.data?.analysisTitle ?? t('qual.sharesHeading'));
  if (share.status === 'error' && !share.data)
    return <LoadError error={share.error} onRetry={share.reload} />;
  if (!share.data) return <Loading />;
  const view = share.data;
  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(studyId)}>{t('qual.back')}</AppLink>
      <PageHeading>{view.analysisTitle}</PageHeading>
      <Paragraph>{view.message}</Paragraph>
      {view.paragraphs.map((p, i) => {
        const comments = view.comments.filter((c) => c.paragraphId === p.id);
        return (
          <section key={p.id} aria-labelledby={`p-${p.id}`} className="stack-sm">
            <Heading level={2} data-size="xs" id={`p-${p.id}`}>
              {t('qual.paragraph', { number: i + 1, theme: p.theme })}
            </Heading>
            <Paragraph>{p.text}</Paragraph>
            <Heading level={3} data-size="2xs">
              {t('qual.commentsHeading')}
            </Heading>
            {comments.length === 0 ? (
              <Paragraph data-size="sm">{t('qual.noComments')}</Paragraph>
            ) : (
              <ul className="stack-sm">
                {comments.map((c) => (
                  <li key={c.id}>
                    <strong>{c.author}</strong>, {formatDate(c.createdAt, language)}: {c.text}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
