/**
 * The next talk with the GP: when, how long, and what it is about (the module tied to it and its
 * homework, so the patient can bring their notes).
 */
import { Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { ProgramView } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { formatLongDate, formatTime } from '../../../format.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { useModuleContent } from '../content-cache.js';
import { isModuleId } from '../module/module-id.js';
import './FollowUpSection.css';

export function FollowUpSection({ program, gpName }: { program: ProgramView; gpName: string | null }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const followUp = program.nextFollowUp;
  const moduleId = followUp?.moduleId && isModuleId(followUp.moduleId) ? followUp.moduleId : null;
  const content = useModuleContent(moduleId, language);

  if (!followUp) {
    return (
      <Paragraph data-testid="follow-up-none">
        {gpName ? t('home.followUpNoneWithGp', { name: gpName }) : t('home.followUpNone')}
      </Paragraph>
    );
  }

  return (
    <Card data-color="neutral" className="follow-up" data-testid="follow-up">
      <dl className="facts follow-up__facts">
        <div>
          <dt>{t('home.followUpDate')}</dt>
          <dd>{formatLongDate(followUp.plannedAt, language)}</dd>
        </div>
        <div>
          <dt>{t('home.followUpTime')}</dt>
          <dd>{formatTime(followUp.plannedAt, language)}</dd>
        </div>
        <div>
          <dt>{t('home.followUpLength')}</dt>
          <dd>{t('home.minutes', { count: followUp.durationMinutes })}</dd>
        </div>
        {gpName && (
          <div>
            <dt>{t('patient.gpLabel')}</dt>
            <dd>{gpName}</dd>
          </div>
        )}
      </dl>
      <div className="follow-up__topic stack-sm">
        <Heading level={3} data-size="2xs">
          {t('home.followUpTopic')}
        </Heading>
        {content.data ? (
          <>
            <Paragraph>
              {t('home.followUpModule', { number: content.data.number, title: content.data.title })}
            </Paragraph>
            <Paragraph>
              <strong>{t('home.followUpHomework', { title: content.data.homework.title })}</strong>{' '}
              {content.data.homework.description}
            </Paragraph>
            {/* Only a module the patient can open: before it opens the link would lead nowhere. */}
            {program.modules.some((m) => m.id === content.data!.id && m.state !== 'locked') && (
              <Paragraph data-size="sm">
                <AppLink to={`/patient/program/${content.data.id}?step=homework`}>
                  {t('home.followUpHomeworkLink')}
                </AppLink>
              </Paragraph>
            )}
          </>
        ) : (
          <Paragraph>{t('home.followUpGeneral')}</Paragraph>
        )}
      </div>
    </Card>
  );
}
