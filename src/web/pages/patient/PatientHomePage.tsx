/**
 * The patient's home: where I am, the one next step, my next talk with my GP, reminders, my mood
 * over time, the PHQ-9 form (with the offline crisis panel), my earlier answers and who has seen
 * my data.
 *
 * Over 400 lines because it lays out every section in the order a patient reads them and holds
 * the PHQ-9 flow's state (form, result, crisis panel); the sections' bodies are in home/.
 */
import { Alert, Card, Heading, Link, Paragraph, Table, Tag } from '@digdir/designsystemet-react';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import type { EducationStatus } from '../../../contract/outcomes.js';
import {
  api,
  type AccessLogEntry,
  type Measurement,
  type Patient,
  type ProgramView,
  type QuestionnaireResponse,
  type WorkbookEntry,
} from '../../api/client.js';
import { useUser } from '../../app/session.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate, formatDateTime, formatLongDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { openCodeLabel, programStatusLabel, roleLabel, severityLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { AgendaCard, agendaDue } from './home/AgendaCard.js';
import { EducationAnswer, EducationCard } from './home/EducationCard.js';
import { MyOutcome } from './home/MyOutcome.js';
import { FeedbackFirst } from './home/FeedbackFirst.js';
import { FollowUpSection } from './home/FollowUpSection.js';
import { MoodChart } from './home/MoodChart.js';
import { NextStepCard } from './home/NextStepCard.js';
import { ProgressSummary } from './home/ProgressSummary.js';
import { RemindersSection } from './home/RemindersSection.js';
import { Phq9Form } from './Phq9Form.js';
import { instrumentName, measurementBandLabel } from './program-labels.js';
import { usePatientId } from './usePatientId.js';
import './PatientHomePage.css';

export function PatientHomePage() {
  const { t } = useTranslation();
  const user = useUser();
  usePageTitle(t('patient.title'));
  const patientId = usePatientId();

  const newUsername = (useLocation().state as { newUsername?: string } | null)?.newUsername ?? null;

  return (
    <div className="page stack-lg">
      <PageHeading>{t('patient.greeting', { name: user.displayName })}</PageHeading>
      {newUsername && (
        <Alert data-color="success" data-testid="new-username">
          <Paragraph>{t('home.newUsername', { username: newUsername })}</Paragraph>
        </Alert>
      )}
      <nav aria-label={t('patient.sectionNav')} className="section-nav">
        <ul>
          <li>
            <Link href="#next-step">{t('home.nextStepHeading')}</Link>
          </li>
          <li>
            <Link href="#follow-up">{t('home.followUpHeading')}</Link>
          </li>
          <li>
            <Link href="#mood">{t('chart.heading')}</Link>
          </li>
          <li>
            <Link href="#my-outcome">{t('myOutcome.heading')}</Link>
          </li>
          <li>
            <Link href="#phq9">{t('phq9.heading')}</Link>
          </li>
          <li>
            <Link href="#history">{t('history.heading')}</Link>
          </li>
          <li>
            <Link href="#access-log">{t('accessLog.heading')}</Link>
          </li>
        </ul>
      </nav>
      <PatientSections patientId={patientId} />
    </div>
  );
}

function PatientSections({ patientId }: { patientId: string }) {
  const language = useLanguage();
  const { t } = useTranslation();
  const patient = useApiData((signal) => api.getPatient(patientId, signal), [patientId]);
  const program = useApiData((signal) => api.getProgram(patientId, signal), [patientId]);
  const measurements = useApiData((signal) => api.getMeasurements(patientId, signal), [patientId]);
  const workbook = useApiData((signal) => api.listWorkbook(patientId, signal), [patientId]);
  const history = useApiData((signal) => api.listResponses(patientId, signal), [patientId]);
  const accessLog = useApiData((signal) => api.getAccessLog(patientId, signal), [patientId]);
  const outcome = useApiData((signal) => api.getOutcome(patientId, signal), [patientId]);
  const education = useApiData((signal) => api.getEducation(patientId, signal), [patientId]);
  const [educationNow, setEducationNow] = useState<EducationStatus | null>(null);
  const educationStatus = educationNow ?? education.data;
  const [justAnswered, setJustAnswered] = useState(false);
  const firstModuleDone = program.data?.modules.some((m) => m.id === 'm1' && m.completedAt) ?? false;
  const reloadHistory = history.reload;
  const reloadAccessLog = accessLog.reload;
  const reloadProgram = program.reload;
  const reloadMeasurements = measurements.reload;
  const reloadPatient = patient.reload;
  const reloadOutcome = outcome.reload;
  // The form answered on this page stays (with its result and any crisis panel) after the reload,
  // though the new answer starts a fresh two-week recall.
  const [answeredHere, setAnsweredHere] = useState(false);
  const onSubmitted = useCallback(() => {
    setAnsweredHere(true);
    reloadHistory();
    reloadAccessLog();
    reloadProgram();
    reloadMeasurements();
    reloadOutcome();
  }, [reloadHistory, reloadAccessLog, reloadProgram, reloadMeasurements, reloadOutcome]);
  const onProgramChanged = useCallback(() => {
    reloadProgram();
    reloadPatient();
  }, [reloadProgram, reloadPatient]);

  const recovery = patient.data?.account.lastRecovery ?? null;

  return (
    <>
      {/* Issue 17: new feedback on a shared exercise comes first, until the patient opens it. */}
      <FeedbackFirst patientId={patientId} />
      {recovery && (
        // A reset of access is the GP's act on the patient's account: the patient is always told.
        <Alert data-color="info" data-testid="account-recovered">
          <Paragraph>
            {t('home.accountRecovered', {
              by: recovery.byName,
              date: formatDate(recovery.at, language),
            })}
          </Paragraph>
        </Alert>
      )}
      <div className="home-grid">
        <section aria-labelledby="next-step-heading" id="next-step" className="home-grid__main stack-sm">
          <Heading level={2} data-size="sm" id="next-step-heading">
            {t('home.nextStepHeading')}
          </Heading>
          {program.data ? (
            <NextStepCard patientId={patientId} program={program.data} onProgramChanged={onProgramChanged} />
          ) : program.status === 'error' ? (
            <LoadError error={program.error} onRetry={program.reload} />
          ) : (
            <Loading />
          )}
        </section>

        <section aria-labelledby="program-heading" className="home-grid__side stack-sm">
          <Heading level={2} data-size="sm" id="program-heading">
            {t('patient.programHeading')}
          </Heading>
          {patient.data ? (
            <ProgramCard patient={patient.data} program={program.data} />
          ) : patient.status === 'error' ? (
            <LoadError error={patient.error} onRetry={patient.reload} />
          ) : (
            <Loading />
          )}
        </section>
      </div>

      {educationStatus && !educationStatus.asked && firstModuleDone && (
        <EducationCard
          patientId={patientId}
          onAnswered={(status) => {
            setEducationNow(status);
            setJustAnswered(true);
            reloadAccessLog();
          }}
        />
      )}
      {justAnswered && (
        <Alert data-color="success" data-testid="education-thanks">
          <Paragraph>{t('education.thanks')}</Paragraph>
        </Alert>
      )}

      {/* Always there, so the section link and the reminders' "#follow-up" always have a target. */}
      <section aria-labelledby="follow-up-heading" id="follow-up" className="stack-sm">
        <Heading level={2} data-size="sm" id="follow-up-heading">
          {t('home.followUpHeading')}
        </Heading>
        {program.data && program.data.status === 'not_recommended' && (
          <Paragraph data-testid="follow-up-none">
            {patient.data?.gp
              ? t('home.followUpNoneWithGp', { name: patient.data.gp.displayName })
              : t('home.followUpNone')}
          </Paragraph>
        )}
        {program.data && program.data.status !== 'not_recommended' && (
          <>
            <FollowUpSection program={program.data} gpName={patient.data?.gp?.displayName ?? null} />
            {program.data.nextFollowUp && agendaDue(program.data.nextFollowUp, new Date()) && (
              <AgendaCard
                patientId={patientId}
                followUp={program.data.nextFollowUp}
                phq9AnsweredAt={latestAnswer(history.data?.items ?? [])}
              />
            )}
          </>
        )}
      </section>

      <RemindersSection patientId={patientId} />

      <section aria-labelledby="mood-heading" id="mood" className="stack-sm">
        <Heading level={2} data-size="sm" id="mood-heading">
          {t('chart.heading')}
        </Heading>
        <Paragraph>{t('chart.intro')}</Paragraph>
        {measurements.data && workbook.data ? (
          <MoodSection measurements={measurements.data.items} workbook={workbook.data.items} />
        ) : measurements.status === 'error' || workbook.status === 'error' ? (
          <LoadError
            error={measurements.error ?? workbook.error}
            onRetry={() => {
              measurements.reload();
              workbook.reload();
            }}
          />
        ) : (
          <Loading />
        )}
      </section>

      <section aria-labelledby="my-outcome-heading" id="my-outcome" className="stack-sm">
        <Heading level={2} data-size="sm" id="my-outcome-heading">
          {t('myOutcome.heading')}
        </Heading>
        <Paragraph>{t('myOutcome.intro')}</Paragraph>
        {outcome.data ? (
          <MyOutcome outcome={outcome.data} />
        ) : outcome.status === 'error' ? (
          <LoadError error={outcome.error} onRetry={outcome.reload} />
        ) : (
          <Loading />
        )}
      </section>

      <section aria-labelledby="phq9-heading" id="phq9" className="stack-sm">
        <Heading level={2} data-size="sm" id="phq9-heading">
          {t('phq9.heading')}
        </Heading>
        <Paragraph>{t('phq9.about')}</Paragraph>
        {program.data?.answerFrom.phq9 && !answeredHere ? (
          // Inside the two-week recall of the last PHQ-9 (issue 11 §3): say when, do not offer the form.
          <Card className="phq9-card" data-color="neutral" data-testid="phq9-not-yet">
            <Paragraph>
              {t('phq9.notYet', { date: formatLongDate(program.data.answerFrom.phq9, language) })}
            </Paragraph>
          </Card>
        ) : (
          <Card className="phq9-card" data-color="neutral">
            <Phq9Form patientId={patientId} onSubmitted={onSubmitted} />
          </Card>
        )}
      </section>

      <section aria-labelledby="history-heading" id="history" className="stack-sm">
        <Heading level={2} data-size="sm" id="history-heading">
          {t('history.heading')}
        </Heading>
        {history.data ? (
          <HistoryTable items={history.data.items} />
        ) : history.status === 'error' ? (
          <LoadError error={history.error} onRetry={history.reload} />
        ) : (
          <Loading />
        )}
        {measurements.data && <OtherMeasurementsTable items={measurements.data.items} />}
      </section>

      {educationStatus?.asked && (
        <section aria-labelledby="education-answer-heading" id="education" className="stack-sm">
          <Heading level={2} data-size="sm" id="education-answer-heading">
            {t('education.myHeading')}
          </Heading>
          <EducationAnswer
            patientId={patientId}
            status={educationStatus}
            onChanged={(status) => {
              setEducationNow(status);
              reloadAccessLog();
            }}
          />
        </section>
      )}

      <section aria-labelledby="access-log-heading" id="access-log" className="stack-sm">
        <Heading level={2} data-size="sm" id="access-log-heading">
          {t('accessLog.heading')}
        </Heading>
        <Paragraph>{t('accessLog.intro')}</Paragraph>
        <Paragraph>{t('accessLog.downloadIntro')}</Paragraph>
        <ul className="stack-sm">
          <li>
            <Link
              href={`/api/patients/${patientId}/export.html?lang=${language}`}
              target="_blank"
              rel="noopener"
            >
              {t('accessLog.downloadReadable')}
            </Link>
          </li>
          <li>
            <Link href={`/fhir/R4/Patient/${patientId}/$everything`} download="gp-dep-mine-data.fhir.json">
              {t('accessLog.downloadFhir')}
            </Link>
          </li>
        </ul>
        {accessLog.data ? (
          <AccessLogTable items={accessLog.data.items} />
        ) : accessLog.status === 'error' ? (
          <LoadError error={accessLog.error} onRetry={accessLog.reload} />
        ) : (
          <Loading />
        )}
      </section>
    </>
  );
}

function MoodSection({ measurements, workbook }: { measurements: Measurement[]; workbook: WorkbookEntry[] }) {
  const phq9 = useMemo(
    () =>
      measurements
        .filter((m) => m.instrument === 'phq9')
        .map((m) => ({ date: new Date(m.answeredAt), value: m.totalScore })),
    [measurements]
  );
  const mood = useMemo(
    () =>
      workbook
        .filter((entry) => entry.moduleId === 'm1' && entry.exerciseId === 'mood-rating')
        .flatMap((entry) => {
          const value = entry.answers['mood'];
          return typeof value === 'number' ? [{ date: new Date(entry.createdAt), value }] : [];
        })
        .sort((a, b) => a.date.getTime() - b.date.getTime()),
    [workbook]
  );
  return <MoodChart phq9={phq9} mood={mood} />;
}

function ProgramCard({ patient, program }: { patient: Patient; program: ProgramView | null }) {
  const { t } = useTranslation();
  return (
    <Card data-color="neutral" className="program-card">
      <Paragraph>
        <strong>{t('patient.programName')}</strong>
      </Paragraph>
      <dl className="facts">
        <div>
          <dt>{t('patient.programStatusLabel')}</dt>
          <dd>
            <Tag data-color="neutral">{programStatusLabel(t, program?.status ?? patient.program.status)}</Tag>
          </dd>
        </div>
        <div>
          <dt>{t('patient.modulesCompletedLabel')}</dt>
          <dd>
            {t('home.modulesCompletedValue', {
              count: program
                ? program.modules.filter((m) => m.state === 'completed').length
                : patient.program.modulesCompleted,
            })}
          </dd>
        </div>
        <div>
          <dt>{t('patient.gpLabel')}</dt>
          <dd>{patient.gp ? patient.gp.displayName : t('patient.noGp')}</dd>
        </div>
      </dl>
      {program && (program.status === 'active' || program.status === 'finished') && (
        <ProgressSummary program={program} />
      )}
    </Card>
  );
}

function HistoryTable({ items }: { items: QuestionnaireResponse[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (items.length === 0) return <Paragraph>{t('history.empty')}</Paragraph>;
  return (
    <TableScroll label={t('history.caption')}>
      <Table zebra data-color="neutral" className="data-table" data-testid="phq9-history">
        <caption>{t('history.caption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('history.date')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('history.score')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('history.severity')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {items.map((item) => (
            <Table.Row key={item.id}>
              <Table.Cell className="nowrap">{formatDate(item.answeredAt, language)}</Table.Cell>
              <Table.Cell>{item.totalScore}</Table.Cell>
              <Table.Cell>{severityLabel(t, item.severity)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}

/** GAD-7 and WSAS answers, newest first (PHQ-9 has its own table above). */
function OtherMeasurementsTable({ items }: { items: Measurement[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const rows = items.filter((m) => m.instrument !== 'phq9').reverse();
  if (rows.length === 0) return null;
  return (
    <TableScroll label={t('history.otherCaption')}>
      <Table zebra data-color="neutral" className="data-table" data-testid="other-measurements">
        <caption>{t('history.otherCaption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('history.date')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('history.instrument')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('history.scoreShort')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('history.severity')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {rows.map((item) => (
            <Table.Row key={item.id}>
              <Table.Cell className="nowrap">{formatDate(item.answeredAt, language)}</Table.Cell>
              <Table.Cell>{instrumentName(t, item.instrument)}</Table.Cell>
              <Table.Cell>
                {t('history.scoreOf', { score: item.totalScore, max: item.instrument === 'gad7' ? 21 : 40 })}
              </Table.Cell>
              <Table.Cell>{measurementBandLabel(t, item.instrument, item.band)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}

function AccessLogTable({ items }: { items: AccessLogEntry[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (items.length === 0) return <Paragraph>{t('accessLog.empty')}</Paragraph>;
  return (
    <TableScroll label={t('accessLog.caption')}>
      <Table zebra data-color="neutral" className="data-table" data-testid="access-log">
        <caption>{t('accessLog.caption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('accessLog.when')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.who')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.role')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.practice')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.action')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.dataCategory')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('accessLog.basis')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {items.map((item, index) => (
            <Table.Row key={`${item.occurredAt}-${index}`}>
              <Table.Cell>{formatDateTime(item.occurredAt, language)}</Table.Cell>
              <Table.Cell>{item.actorName}</Table.Cell>
              <Table.Cell>{roleLabel(t, item.actorRole)}</Table.Cell>
              <Table.Cell>{item.practiceName ?? '–'}</Table.Cell>
              <Table.Cell>{openCodeLabel(t, 'accessLog.actions', item.action)}</Table.Cell>
              <Table.Cell>{openCodeLabel(t, 'accessLog.categories', item.dataCategory)}</Table.Cell>
              <Table.Cell>{openCodeLabel(t, 'accessLog.bases', item.accessBasis)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}

/** When the newest PHQ-9 was answered, or null. */
function latestAnswer(items: QuestionnaireResponse[]): string | null {
  return items.reduce<string | null>(
    (latest, item) => (!latest || item.answeredAt > latest ? item.answeredAt : latest),
    null
  );
}
