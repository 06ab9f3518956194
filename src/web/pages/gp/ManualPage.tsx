/**
 * The GP manual for one module, one click from the follow-up card (answers "no module knowledge"
 * and "the manual lost in a mess of things"): summary, rationale, key exercises and what to look
 * for, common difficulties and how to help, cautions, and the questions for the talk. From here
 * the GP can open the module exactly as the patient sees it.
 */
import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { MODULE_IDS } from '../../../domain/program/progress.js';
import { AppLink } from '../../components/AppLink.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { NotFoundPage } from '../NotFoundPage.js';
import { gpApi } from './gp-api.js';
import { bridgeContextLabel, moduleLabel } from './labels.js';
import { GpBreadcrumbs, GpSection } from './parts.js';
import { manualPath, patientViewPath } from './paths.js';
import './ManualPage.css';

export function ManualPage() {
  const { moduleId } = useParams();
  const id = MODULE_IDS.find((m) => m === moduleId);
  if (!id) return <NotFoundPage />;
  return <ManualView key={id} moduleId={id} />;
}

function ManualView({ moduleId }: { moduleId: (typeof MODULE_IDS)[number] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const content = useApiData((signal) => gpApi.module(moduleId, language, signal), [moduleId, language]);
  const number = Number(moduleId.slice(1));
  /** The GP's material: the contract sends it only to GPs, so it is optional there. */
  const gp = content.data?.gp;
  const title = content.data ? moduleLabel(t, moduleId, content.data.title) : moduleLabel(t, moduleId);
  usePageTitle(t('gp.manual.title', { module: title }));

  return (
    <div className="page gp-page manual-page stack-lg">
      <div className="stack-sm">
        <GpBreadcrumbs crumbs={[{ label: t('gp.manual.crumb') }, { label: moduleLabel(t, moduleId) }]} />
        <PageHeading>{t('gp.manual.heading', { module: title })}</PageHeading>
        {content.data && <Paragraph className="page-subtitle">{content.data.subtitle}</Paragraph>}
        <nav aria-label={t('gp.manual.modulesNav')} className="module-tabs">
          <ul>
            {MODULE_IDS.map((id) => (
              <li key={id}>
                {id === moduleId ? (
                  <span aria-current="page" className="module-tabs__current">
                    {moduleLabel(t, id)}
                  </span>
                ) : (
                  <AppLink to={manualPath(id)}>{moduleLabel(t, id)}</AppLink>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </div>
      {content.status === 'error' && <LoadError error={content.error} onRetry={content.reload} />}
      {!content.data && content.status === 'loading' && <Loading />}
      {content.data && gp && (
        <>
          <p className="manual-open">
            <AppLink to={patientViewPath(moduleId)}>{t('gp.manual.asPatient', { number })}</AppLink>
          </p>
          <GpSection id="summary" title={t('gp.manual.summary')}>
            <Paragraph>{gp.manual.summary}</Paragraph>
          </GpSection>
          <GpSection id="rationale" title={t('gp.manual.rationale')}>
            <Paragraph>{gp.manual.rationale}</Paragraph>
          </GpSection>
          <GpSection id="digest" title={t('gp.card.module.digest')}>
            <ul className="digest">
              {gp.digest.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </GpSection>
          <GpSection id="exercises" title={t('gp.manual.keyExercises')}>
            <dl className="manual-list">
              {gp.manual.keyExercises.map((item) => (
                <div key={item.exerciseId}>
                  <dt>
                    {content.data!.exercises.find((e) => e.id === item.exerciseId)?.title ?? item.exerciseId}
                  </dt>
                  <dd>{item.whatToLookFor}</dd>
                </div>
              ))}
            </dl>
          </GpSection>
          <GpSection id="difficulties" title={t('gp.manual.difficulties')}>
            <dl className="manual-list">
              {gp.manual.commonDifficulties.map((item) => (
                <div key={item.difficulty}>
                  <dt>{item.difficulty}</dt>
                  <dd>{item.howToHelp}</dd>
                </div>
              ))}
            </dl>
          </GpSection>
          <GpSection id="questions" title={t('gp.card.module.questions')}>
            <ol className="questions">
              {gp.questions.map((q) => (
                <li key={q}>{q}</li>
              ))}
            </ol>
          </GpSection>
          <GpSection id="bridges" title={t('gp.card.module.bridges')}>
            <dl className="bridges">
              {gp.bridges.map((bridge) => (
                <div key={`${bridge.context}-${bridge.text}`} className="bridges__item">
                  <dt>{bridgeContextLabel(t, bridge.context)}</dt>
                  <dd>{bridge.text}</dd>
                </div>
              ))}
            </dl>
          </GpSection>
          <Alert data-color="warning" className="stack-sm">
            <Heading level={2} data-size="xs">
              {t('gp.manual.cautions')}
            </Heading>
            <ul className="plain-list">
              {gp.manual.cautions.map((caution) => (
                <li key={caution}>{caution}</li>
              ))}
            </ul>
          </Alert>
        </>
      )}
    </div>
  );
}
