/**
 * The user group's pages (issue 15), one lazily loaded chunk: the studies whose user group the
 * member is in with what has been shared, and one shared synthesis with a comment form per
 * paragraph. The server gives this role the shared text and the comments only, never a
 * transcript, so these pages cannot show one either.
 */
import { Alert, Button, Heading, Paragraph, Textfield } from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useParams } from 'react-router';
import { AppLink } from '../../components/AppLink.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { formatDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { NotFoundPage } from '../NotFoundPage.js';
import { userGroupApi, type ShareView, type UserGroupComment } from './user-group-api.js';
import './i18n.js';

export default function UserGroupFace() {
  return (
    <Routes>
      <Route index element={<UserGroupHome />} />
      <Route path="studies/:studyId/shares/:shareId" element={<SharePage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function UserGroupHome() {
  const { t } = useTranslation();
  const studies = useApiData((signal) => userGroupApi.studies(signal), []);
  return (
    <div className="stack-md">
      <PageHeading>{t('userGroup.heading')}</PageHeading>
      <Paragraph>{t('userGroup.intro')}</Paragraph>
      {studies.status === 'error' && <LoadError error={studies.error} onRetry={studies.reload} />}
      {studies.data === null && studies.status === 'loading' && <Loading />}
      {studies.data && studies.data.studies.length === 0 && <Paragraph>{t('userGroup.noStudies')}</Paragraph>}
      {studies.data?.studies.map((study) => (
        <StudyShares key={study.id} studyId={study.id} title={study.title} />
      ))}
    </div>
  );
}

function StudyShares({ studyId, title }: { studyId: string; title: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const shares = useApiData((signal) => userGroupApi.shares(studyId, signal), [studyId]);
  const headingId = `study-${studyId}`;
  return (
    <section aria-labelledby={headingId} className="stack-sm">
      <Heading level={2} data-size="sm" id={headingId}>
        {title}
      </Heading>
      {shares.status === 'error' && <LoadError error={shares.error} onRetry={shares.reload} />}
      {shares.data === null && shares.status === 'loading' && <Loading />}
      {shares.data && shares.data.shares.length === 0 && <Paragraph>{t('userGroup.noShares')}</Paragraph>}
      {shares.data && shares.data.shares.length > 0 && (
        <ul className="stack-sm" aria-label={t('userGroup.sharesHeading')}>
          {shares.data.shares.map((share) => (
            <li key={share.id}>
              <AppLink to={`/user-group/studies/${studyId}/shares/${share.id}`}>
                {share.analysisTitle} ({t('userGroup.version', { revision: share.revision })})
              </AppLink>
              <Paragraph data-size="sm">
                {t('userGroup.sharedAt', {
                  date: formatDate(share.sharedAt, language),
                  name: share.sharedBy,
                })}{' '}
                · {t('userGroup.commentCount', { count: share.comments })}
              </Paragraph>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SharePage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { studyId = '', shareId = '' } = useParams();
  const share = useApiData((signal) => userGroupApi.share(studyId, shareId, signal), [studyId, shareId]);
  if (share.status === 'error' && !share.data)
    return <LoadError error={share.error} onRetry={share.reload} />;
  if (!share.data) return <Loading />;
  const view: ShareView = share.data;
  return (
    <div className="stack-md">
      <AppLink to="/user-group">{t('userGroup.back')}</AppLink>
      <PageHeading>{view.analysisTitle}</PageHeading>
      <Paragraph>
        {view.studyTitle} · {t('userGroup.version', { revision: view.revision })} ·{' '}
        {t('userGroup.sharedAt', { date: formatDate(view.sharedAt, language), name: view.sharedBy })}
      </Paragraph>
      {view.message && (
        <section aria-labelledby="share-message" className="stack-sm">
          <Heading level={2} data-size="xs" id="share-message">
            {t('userGroup.fromResearchers')}
          </Heading>
          <Paragraph>{view.message}</Paragraph>
        </section>
      )}
      {view.paragraphs.map((paragraph, index) => (
        <ParagraphWithComments
          key={paragraph.id}
          studyId={studyId}
          shareId={shareId}
          number={index + 1}
          paragraph={paragraph}
          comments={view.comments.filter((c) => c.paragraphId === paragraph.id)}
          onSent={share.reload}
        />
      ))}
    </div>
  );
}

function ParagraphWithComments(props: {
  studyId: string;
  shareId: string;
  number: number;
  paragraph: ShareView['paragraphs'][number];
  comments: readonly UserGroupComment[];
  onSent: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { number, paragraph } = props;
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const headingId = `paragraph-${paragraph.id}`;
  const fieldId = `comment-${paragraph.id}`;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setSent(false);
    if (!text.trim()) {
      setFieldError(t('userGroup.empty'));
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      await userGroupApi.comment(props.studyId, props.shareId, { paragraphId: paragraph.id, text });
      setText('');
      setSent(true);
      props.onSent();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className="stack-sm">
      <Heading level={2} data-size="xs" id={headingId}>
        {t('userGroup.paragraphHeading', { number, theme: paragraph.theme })}
      </Heading>
      <Paragraph>{paragraph.text}</Paragraph>
      <Heading level={3} data-size="2xs">
        {t('userGroup.comments', { number })}
      </Heading>
      {props.comments.length === 0 ? (
        <Paragraph data-size="sm">{t('userGroup.noComments')}</Paragraph>
      ) : (
        <ul className="stack-sm">
          {props.comments.map((comment) => (
            <li key={comment.id}>
              <Paragraph data-size="sm">
                <strong>{comment.author}</strong>, {formatDate(comment.createdAt, language)}
              </Paragraph>
              <Paragraph>{comment.text}</Paragraph>
            </li>
          ))}
        </ul>
      )}
      <form className="stack-sm" noValidate onSubmit={(event) => void onSubmit(event)}>
        <Textfield
          id={fieldId}
          label={t('userGroup.commentLabel', { number })}
          description={t('userGroup.commentHelp')}
          multiline
          rows={4}
          maxLength={4000}
          value={text}
          error={fieldError ?? undefined}
          onChange={(event) => setText(event.target.value)}
        />
        <div>
          <Button type="submit" loading={busy}>
            {t('userGroup.send')}
          </Button>
        </div>
      </form>
      <div aria-live="polite">
        {sent && (
          <Alert data-color="success">
            <Paragraph>{t('userGroup.sent')}</Paragraph>
          </Alert>
        )}
      </div>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
    </section>
  );
}
