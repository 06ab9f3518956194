/**
 * "What is next": one clear next step with one primary action, and below it any other
 * measurement that is due. Starting the program happens here.
 */
import { Alert, Button, Card, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link as RouterLink } from 'react-router';
import { api, type MeasureDue, type ModuleListItem, type ProgramView } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { formatLongDate } from '../../../format.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { useModuleContent, useModuleList } from '../content-cache.js';
import { firstUnviewedLesson } from '../module/module-steps.js';
import { instrumentAbout, instrumentName, measureTitle, moduleNumberOf } from '../program-labels.js';
import { nextStep, otherMeasuresDue, type NextStep } from './next-step.js';
import './NextStepCard.css';

export function measureHref(due: MeasureDue, gatedModule: string | null): string {
  if (due.instrument === 'phq9') return gatedModule ? `/patient/program/${gatedModule}` : '#phq9';
  return `/patient/measure/${due.instrument}`;
}

export function NextStepCard({
  patientId,
  program,
  onProgramChanged,
}: {
  patientId: string;
  program: ProgramView;
  onProgramChanged: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const step = nextStep(program);
  const list = useModuleList(language);
  const moduleId =
    step.kind === 'continue_module' ||
    step.kind === 'start_module' ||
    step.kind === 'homework' ||
    step.kind === 'wait_module'
      ? step.moduleId
      : null;
  const content = useModuleContent(moduleId, language);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [started, setStarted] = useState(false);

  const moduleItem = (id: string | null): ModuleListItem | undefined =>
    id ? list.data?.items.find((m) => m.id === id) : undefined;
  const moduleName = (id: string | null) => {
    const item = moduleItem(id);
    return item
      ? t('program.moduleName', { number: item.number, title: item.title })
      : t('program.moduleNumber', { number: id ? moduleNumberOf(id) : 0 });
  };

  // After "Start", the button is gone: move focus to the new next step.
  useEffect(() => {
    if (started && step.kind !== 'start_program') headingRef.current?.focus();
  }, [started, step.kind]);

  async function start() {
    setStarting(true);
    setStartError(null);
    try {
      await api.startProgram(patientId);
      setStarted(true);
      onProgramChanged();
    } catch (error) {
      setStartError(describeError(t, error));
    } finally {
      setStarting(false);
    }
  }

  const view = describe(step);
  const others = otherMeasuresDue(program, step);

  function describe(s: NextStep): { title: string; text: string; action: ReactNode } {
    switch (s.kind) {
      case 'not_recommended':
        return {
          title: t('home.next.notRecommendedTitle'),
          text: t('home.next.notRecommendedText'),
          action: <ActionLink to="#phq9">{t('home.next.fillPhq9')}</ActionLink>,
        };
      case 'start_program':
        return {
          title: t('home.next.startTitle'),
          text: t('home.next.startText'),
          action: (
            <Button type="button" data-color="accent" onClick={() => void start()} loading={starting}>
              {starting ? t('home.next.starting') : t('home.next.startButton')}
            </Button>
          ),
        };
      case 'stopped':
        return { title: t('home.next.stoppedTitle'), text: t('home.next.stoppedText'), action: null };
      case 'measure': {
        const number = s.due.moduleId ? moduleNumberOf(s.due.moduleId) : null;
        return {
          title: measureTitle(t, s.due, number),
          text:
            s.due.reason === 'before_module' && number
              ? t('home.next.phq9BeforeModuleText', { number })
              : instrumentAbout(t, s.due.instrument),
          action: (
            <ActionLink to={measureHref(s.due, s.moduleId)}>
              {t('home.next.answerNow', { name: t(`instruments.${s.due.instrument}.name`) })}
            </ActionLink>
          ),
        };
      }
      case 'continue_module': {
        const progress = program.modules.find((m) => m.id === s.moduleId);
        const unseen = content.data && progress ? firstUnviewedLesson(content.data, progress) : null;
        const lessons = content.data?.lessons.length ?? 0;
        const stepParam = unseen === null ? 'quiz' : `lesson-${unseen + 1}`;
        return {
          title: t('home.next.continueTitle', { module: moduleName(s.moduleId) }),
          text: !content.data
            ? ''
            : unseen === null
              ? t('home.next.continueQuizText')
              : t('home.next.continueLessonText', {
                  number: unseen + 1,
                  total: lessons,
                  title: content.data.lessons[unseen]?.title ?? '',
                }),
          action: (
            <ActionLink to={`/patient/program/${s.moduleId}?step=${stepParam}`}>
              {t('home.next.continueButton')}
            </ActionLink>
          ),
        };
      }
      case 'start_module': {
        const item = moduleItem(s.moduleId);
        return {
          title: t('home.next.startModuleTitle', { module: moduleName(s.moduleId) }),
          text: item
            ? t('home.next.startModuleText', { subtitle: item.subtitle, minutes: item.estimatedMinutes })
            : '',
          action: (
            <ActionLink to={`/patient/program/${s.moduleId}`}>{t('home.next.startModuleButton')}</ActionLink>
          ),
        };
      }
      case 'homework':
        return {
          title: t('home.next.homeworkTitle', {
            title: content.data?.homework.title ?? moduleName(s.moduleId),
          }),
          text: content.data?.homework.description ?? '',
          action: (
            <ActionLink to={`/patient/program/${s.moduleId}?step=homework`}>
              {t('home.next.homeworkButton')}
            </ActionLink>
          ),
        };
      case 'wait_module':
        return {
          title: t('home.next.waitTitle', {
            module: moduleName(s.waitingModuleId),
            date: formatLongDate(s.opensAt, language),
          }),
          text: t('home.next.waitText', {
            homework: content.data?.homework.title ?? '',
            context: s.moduleId && content.data ? 'homework' : undefined,
          }),
          action: s.moduleId ? (
            <ActionLink to={`/patient/program/${s.moduleId}?step=homework`}>
              {t('home.next.homeworkButton')}
            </ActionLink>
          ) : null,
        };
      case 'finished':
        return {
          title: t('home.next.finishedTitle'),
          text: [
            t('home.next.finishedText'),
            ...program.measuresUpcoming.map((u) =>
              t('home.next.upcomingMeasure', {
                name: instrumentName(t, u.instrument),
                date: formatLongDate(u.from, language),
              })
            ),
          ].join(' '),
          action: <ActionLink to="/patient/workbook">{t('home.next.finishedButton')}</ActionLink>,
        };
    }
  }

  return (
    <Card data-color="accent" className="next-step" data-testid="next-step">
      <Heading level={3} data-size="xs" ref={headingRef} tabIndex={-1} className="focus-target">
        {view.title}
      </Heading>
      {view.text && <Paragraph>{view.text}</Paragraph>}
      {view.action && <div className="next-step__action">{view.action}</div>}
      {startError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{startError}</Paragraph>
        </Alert>
      )}
      <div role="status" className="live-region">
        {started && step.kind !== 'start_program' ? t('home.next.started') : ''}
      </div>
      {others.length > 0 && (
        <div className="next-step__others">
          <Paragraph data-size="sm">
            <strong>{t('home.next.alsoDue')}</strong>
          </Paragraph>
          <ul>
            {others.map((due) => (
              <li key={`${due.instrument}-${due.reason}`}>
                <AppLink
                  to={measureHref(
                    due,
                    due.moduleId ?? program.modules.find((m) => m.state === 'measure_first')?.id ?? null
                  )}
                >
                  {measureTitle(t, due, due.moduleId ? moduleNumberOf(due.moduleId) : null)}
                </AppLink>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

/** A link that looks like the primary button: the one action on the card. */
function ActionLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Button asChild data-color="accent">
      {to.startsWith('#') ? <a href={to}>{children}</a> : <RouterLink to={to}>{children}</RouterLink>}
    </Button>
  );
}
