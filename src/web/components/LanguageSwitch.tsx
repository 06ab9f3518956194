import { Button } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, LANGUAGES } from '../i18n/index.js';
import { useLanguage } from '../i18n/useLanguage.js';
import './LanguageSwitch.css';

/** Two toggle buttons, each labelled in its own language. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const active = useLanguage();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language) => (
        <Button
          key={language}
          type="button"
          data-size="sm"
          variant={language === active ? 'secondary' : 'tertiary'}
          aria-pressed={language === active}
          lang={language}
          onClick={() => {
            if (language !== active) void changeLanguage(language);
          }}
        >
          {t(`language.${language}`)}
        </Button>
      ))}
    </div>
  );
}
