/** The homework for the next two weeks, and the printable one-page summary of the module. */
import { Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { PatientModuleContent } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import './module.css';

export function HomeworkBody({ content }: { content: PatientModuleContent }) {
  const { t } = useTranslation();
  const exercise = content.homework.exerciseId
    ? content.exercises.find((e) => e.id === content.homework.exerciseId)
    : undefined;
  return (
    <div className="stack-md">
      <Heading level={3} data-size="xs">
        {content.homework.title}
      </Heading>
      <Paragraph>{content.homework.description}</Paragraph>
      <ol className="numbered-steps">
        {content.homework.steps.map((step, index) => (
          <li key={index}>{step}</li>
        ))}
      </ol>
      {exercise && (
        <Card data-color="neutral" className="stack-sm">
          <Paragraph>{t('homework.useExercise', { title: exercise.title })}</Paragraph>
          <Paragraph>
            <AppLink to={`?step=exercises#exercise-${exercise.id}`}>
              {t('homework.openExercise', { title: exercise.title })}
            </AppLink>
          </Paragraph>
        </Card>
      )}
      <Paragraph data-size="sm" className="muted">
        {t('homework.bringNotes')}
      </Paragraph>
    </div>
  );
}

export function SummaryBody({ content }: { content: PatientModuleContent }) {
  const { t } = useTranslation();
  return (
    <div className="summary stack-md" data-testid="module-summary">
      <Heading level={3} data-size="xs">
        {content.summary.title}
      </Heading>
      <ul className="summary__points">
        {content.summary.points.map((point, index) => (
          <li key={index}>{point}</li>
        ))}
      </ul>
      <Paragraph className="summary__next">
        <strong>{t('summary.nextLabel')}</strong> {content.summary.nextStep}
      </Paragraph>
      <div className="summary__homework">
        <Heading level={3} data-size="2xs">
          {t('summary.homeworkLabel', { title: content.homework.title })}
        </Heading>
        <ol className="numbered-steps">
          {content.homework.steps.map((step, index) => (
            <li key={index}>{step}</li>
          ))}
        </ol>
      </div>
      <div className="no-print">
        <Button type="button" variant="secondary" onClick={() => window.print()}>
          {t('summary.print')}
        </Button>
      </div>
    </div>
  );
}
