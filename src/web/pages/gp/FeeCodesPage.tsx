/** The fee codes the note screen may suggest, with their sources (docs/clinical/fee-codes.md). */
import { Alert, Paragraph, Table } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../../components/PageHeading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { FEE_CODE_SOURCES } from './fee-code-sources.js';
import { GpBreadcrumbs } from './parts.js';
import './FeeCodesPage.css';

export function FeeCodesPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  usePageTitle(t('gp.feeCodes.title'));
  return (
    <div className="page gp-page stack-lg">
      <div className="stack-sm">
        <GpBreadcrumbs crumbs={[{ label: t('gp.feeCodes.title') }]} />
        <PageHeading>{t('gp.feeCodes.heading')}</PageHeading>
        <Paragraph className="page-subtitle">{t('gp.feeCodes.intro')}</Paragraph>
      </div>
      <Alert data-color="info">
        <Paragraph>{t('gp.feeCodes.check')}</Paragraph>
      </Alert>
      <TableScroll label={t('gp.feeCodes.caption')}>
        <Table data-color="neutral" className="data-table fee-table" data-testid="fee-code-table">
          <caption>{t('gp.feeCodes.caption')}</caption>
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell scope="col">{t('gp.feeCodes.code')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('gp.feeCodes.when')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('gp.feeCodes.meaning')}</Table.HeaderCell>
              <Table.HeaderCell scope="col">{t('gp.feeCodes.source')}</Table.HeaderCell>
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {FEE_CODE_SOURCES.map((row) => (
              <Table.Row key={row.code}>
                <Table.HeaderCell scope="row" className="fee-table__code">
                  {row.code}
                </Table.HeaderCell>
                <Table.Cell>{row.when[language]}</Table.Cell>
                <Table.Cell>{row.meaning[language]}</Table.Cell>
                <Table.Cell>{row.source[language]}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      </TableScroll>
    </div>
  );
}
