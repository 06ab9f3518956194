/**
 * The study's surveys on the researcher page: each with its kind, status and version, linked to its
 * page; and the form that creates a survey.
 */
import { Heading, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { TableScroll } from '../../../components/TableScroll.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { CreateSurveyForm } from './CreateSurveyForm.js';
import { surveysApi } from './surveys-api.js';

export function SurveysSection() {
  const { t } = useTranslation();
  const surveys = useApiData((signal) => surveysApi.list(signal), []);
  return (
    <section aria-labelledby="surveys-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="surveys-heading">
        {t('researchSurveys.heading')}
      </Heading>
      <Paragraph>{t('researchSurveys.intro')}</Paragraph>
      {surveys.status === 'error' && <LoadError error={surveys.error} onRetry={surveys.reload} />}
      {surveys.data === null && surveys.status === 'loading' && <Loading />}
      {surveys.data && surveys.data.items.length === 0 && <Paragraph>{t('researchSurveys.none')}</Paragraph>}
      {surveys.data && surveys.data.items.length > 0 && (
        <TableScroll label={t('researchSurveys.caption')}>
          <Table data-testid="surveys-table">
            <caption>{t('researchSurveys.caption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('researchSurveys.title')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.kind')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.status')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveys.version')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {surveys.data.items.map((survey) => (
                <Table.Row key={survey.id}>
                  <Table.Cell>
                    <AppLink to={`/research/surveys/${survey.id}`}>{survey.title}</AppLink>
                  </Table.Cell>
                  <Table.Cell>{t(`researchSurveys.kinds.${survey.kind}`)}</Table.Cell>
                  <Table.Cell>{t(`researchSurveys.statuses.${survey.status}`)}</Table.Cell>
                  <Table.Cell>{survey.latestVersion}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </TableScroll>
      )}
      <CreateSurveyForm />
    </section>
  );
}
