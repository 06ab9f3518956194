/**
 * The printable waiting-room poster of one practice link (issue 14: "a per-practice link and QR
 * code (printable poster, nb/en)"), at /research/surveys/:surveyId/practice-links/:slug/poster?lang=nb|en.
 * One A4 page when printed (poster.css drops the app's header, footer and this page's toolbar): a
 * plain-language invitation in the chosen language, whatever language the researcher's screen is
 * in — anonymous, voluntary, about how long it takes, and that nobody reads the answers as they
 * come in, so a worry goes to the GP, the out-of-hours service (116 117) or 113 — then the QR code
 * of the link, large, and the address in text beneath it for anyone who cannot scan.
 */
import { Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { NotFoundPage } from '../../NotFoundPage.js';
import { qrPath, qrSymbol, qrViewBoxSide } from './qr.js';
import { surveysApi } from './surveys-api.js';
import './poster.css';

type PosterLanguage = 'nb' | 'en';

/**
 * Minutes a respondent needs, rounded up: about 15 seconds a question (four a minute), at least
 * 2 minutes for the consent page and the end. 20 questions → 5 minutes; 3 questions → 2.
 */
export function minutesToAnswer(questions: number): number {
  return Math.max(2, Math.ceil(questions / 4));
}

/** The address to type: without the scheme (browsers add it), as short as it can be. */
export function typedAddress(url: string): string {
  return url.replace(/^https?:\/\//, '');
}

export function PracticePosterPage() {
  const { t } = useTranslation();
  const { surveyId = '', slug = '' } = useParams();
  const [search] = useSearchParams();
  const lang: PosterLanguage = search.get('lang') === 'en' ? 'en' : 'nb';
  const { t: tp } = useTranslation('translation', { lng: lang });
  const detail = useApiData((signal) => surveysApi.detail(surveyId, signal), [surveyId]);
  const link = detail.data?.practiceLinks.find((candidate) => candidate.slug === slug);
  const qr = useMemo(() => {
    if (!link) return null;
    const symbol = qrSymbol(link.url);
    return { side: qrViewBoxSide(symbol), path: qrPath(symbol) };
  }, [link]);
  usePageTitle(link ? t('researchSurveyAdmin.posterTitle', { practice: link.practiceName }) : '');

  if (detail.status === 'error' && !detail.data)
    return <LoadError error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <Loading />;
  if (!link || !qr) return <NotFoundPage />;
  const latest = detail.data.versions[detail.data.versions.length - 1];
  const minutes = minutesToAnswer(latest?.questions ?? 0);

  return (
    <div className="survey-poster-page">
      <div className="survey-poster-toolbar stack-sm">
        <AppLink to={`/research/surveys/${surveyId}`}>{t('researchSurveyAdmin.posterBack')}</AppLink>
        <Paragraph>{t('researchSurveyAdmin.posterHelp')}</Paragraph>
        <div className="survey-actions">
          <Button type="button" onClick={() => window.print()}>
            {t('researchSurveyAdmin.print')}
          </Button>
          <AppLink
            to={`/research/surveys/${surveyId}/practice-links/${slug}/poster?lang=${lang === 'nb' ? 'en' : 'nb'}`}
          >
            {t(`researchSurveyAdmin.posterOther.${lang === 'nb' ? 'en' : 'nb'}`)}
          </AppLink>
        </div>
      </div>
      <article className="survey-poster" lang={lang} aria-labelledby="poster-heading" data-testid="poster">
        <p className="survey-poster__practice">{link.practiceName}</p>
        <Heading level={1} id="poster-heading" className="survey-poster__heading">
          {tp('surveyPoster.heading')}
        </Heading>
        <p className="survey-poster__lead">{tp('surveyPoster.lead')}</p>
        <ul className="survey-poster__facts">
          <li>{tp('surveyPoster.anonymous')}</li>
          <li>{tp('surveyPoster.voluntary')}</li>
          <li>{tp('surveyPoster.time', { count: minutes })}</li>
        </ul>
        <figure className="survey-poster__qr">
          <svg
            role="img"
            aria-label={tp('surveyPoster.qrLabel', { address: typedAddress(link.url) })}
            viewBox={`0 0 ${qr.side} ${qr.side}`}
            shapeRendering="crispEdges"
            data-testid="poster-qr"
            data-url={link.url}
          >
            <rect width={qr.side} height={qr.side} fill="#fff" />
            <path d={qr.path} fill="#000" />
          </svg>
          <figcaption>
            <span>{tp('surveyPoster.scan')}</span>
            <span>{tp('surveyPoster.orType')}</span>
            <span className="survey-poster__address" data-testid="poster-address">
              {typedAddress(link.url)}
            </span>
          </figcaption>
        </figure>
        <div className="survey-poster__urgent">
          <p>{tp('surveyPoster.nobodyReads')}</p>
          <p>{tp('surveyPoster.urgent')}</p>
        </div>
        <p className="survey-poster__footer">{tp('surveyPoster.footer')}</p>
      </article>
    </div>
  );
}
