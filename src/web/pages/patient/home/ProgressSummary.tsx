/**
 * "Where I am": the five modules as a row of steps (each with its state in words, not only a
 * colour), and how far the patient has come in the current module.
 */
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { ProgramView } from '../../../api/client.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { useModuleContent, useModuleList } from '../content-cache.js';
import { moduleNumberOf, moduleStateLabel } from '../program-labels.js';
import { currentModule } from './next-step.js';
import './ProgressSummary.css';

export function ProgressSummary({ program }: { program: ProgramView }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const list = useModuleList(language);
  const current = currentModule(program);
  const content = useModuleContent(current, language);
  const progress = program.modules.find((m) => m.id === current);
  const item = list.data?.items.find((m) => m.id === current);

  return (
    <div className="progress-summary">
      <ol className="module-track" aria-label={t('home.trackLabel')}>
        {program.modules.map((module) => (
          <li
            key={module.id}
            className="module-track__step"
            data-state={module.state}
            aria-current={module.id === current && module.state !== 'completed' ? 'step' : undefined}
          >
            <span className="module-track__marker" aria-hidden="true">
              {module.state === 'completed' ? '✓' : moduleNumberOf(module.id)}
            </span>
            <span className="module-track__text">
              <span className="ds-sr-only">
                {t('program.moduleNumber', { number: moduleNumberOf(module.id) })}:{' '}
              </span>
              {moduleStateLabel(t, module.state)}
            </span>
          </li>
        ))}
      </ol>
      {current && progress && item && content.data && program.status === 'active' && (
        <Paragraph data-size="sm" data-testid="current-module">
          {t('home.currentModule', {
            number: item.number,
            title: item.title,
            viewed: progress.lessonsViewed.length,
            lessons: content.data.lessons.length,
            answered: progress.quizAnswered.length,
            questions: content.data.quiz.length,
          })}
        </Paragraph>
      )}
    </div>
  );
}
