import { Paragraph, Spinner } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import './Loading.css';

export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status">
      <Spinner aria-hidden="true" data-size="sm" />
      <Paragraph>{t('app.loading')}</Paragraph>
    </div>
  );
}
