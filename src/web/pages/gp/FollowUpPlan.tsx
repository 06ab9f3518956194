/**
 * The follow-up plan on the patient page: every follow-up with its time, module and who holds it;
 * move, cancel or hand one to a colleague; add one; export as a calendar file; print the plan for
 * the patient. Created at once by the recommendation, so nothing depends on the GP's memory.
 *
 * Over 400 lines because the plan's actions (move, cancel, hand over, add, export, print) share
 * one list and its status message; splitting them would pass that state through every part.
 */
import { Button, Field, Label, Paragraph, Select, Tag, Textfield } from '@digdir/designsystemet-react';
import { useId, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { MODULE_IDS, type ModuleId } from '../../../domain/program/progress.js';
import { AppLink } from '../../components/AppLink.js';
import { describeError } from '../../components/errors.js';
import { formatLongDate, formatTime } from '../../format.js';
import type { Language } from '../../i18n/index.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { FollowUp } from '../../../contract/followup.js';
import type { Colleague } from '../../../contract/gp.js';
import { gpApi } from './gp-api.js';
import { moduleLabel } from './labels.js';
import { PLAN_TEXT } from './letter-text.js';
import { MessageLine, type Message } from './parts.js';
import { cardPath } from './paths.js';
import { printOnly } from './print.js';
import { addDays, fromOsloInputs, osloDateInput, osloTimeInput, useNow } from './time.js';
import { DocumentLanguageToggle } from './DocumentLanguageToggle.js';
import './FollowUpPlan.css';

const DURATIONS = [10, 15, 20, 30, 40] as const;

export function FollowUpPlan({
  patientId,
  patientName,
  items,
  colleagues,
  canEdit,
  onChanged,
}: {
  patientId: string;
  patientName: string;
  items: FollowUp[];
  colleagues: Colleague[];
  canEdit: boolean;
  onChanged: (items: FollowUp[]) => void;
}) {
  const { t } = useTranslation();
  const uiLanguage = useLanguage();
  const [patientLanguage, setPatientLanguage] = useState<Language>(uiLanguage);
  const [message, setMessage] = useState<Message>(null);
  const planned = items.filter((f) => f.status === 'planned');

  return (
    <div className="stack-md">
      <MessageLine message={message} />
      {items.length === 0 ? (
        <Paragraph className="muted">{t('gp.plan.empty')}</Paragraph>
      ) : (
        <ol className="plan-list" data-testid="follow-up-plan">
          {items.map((item) => (
            <PlanRow
              key={item.id}
              patientId={patientId}
              item={item}
              colleagues={colleagues}
              canEdit={canEdit}
              onChanged={(next, text) => {
                onChanged(next);
                setMessage({ kind: 'success', text });
              }}
              onError={(text) => setMessage({ kind: 'danger', text })}
            />
          ))}
        </ol>
      )}
      {canEdit && (
        <AddFollowUp
          patientId={patientId}
          onAdded={(next, text) => {
            onChanged(next);
            setMessage({ kind: 'success', text });
          }}
          onError={(text) => setMessage({ kind: 'danger', text })}
        />
      )}
      {planned.length > 0 && (
        <div className="plan-tools">
          <DocumentLanguageToggle
            value={patientLanguage}
            onChange={setPatientLanguage}
            label={t('gp.plan.patientLanguage')}
          />
          <Button type="button" variant="secondary" data-size="sm" onClick={() => printOnly('plan')}>
            {t('gp.plan.print')}
          </Button>
          <a
            className="ds-button"
            data-variant="secondary"
            data-size="sm"
            href={gpApi.calendarUrl(patientId, patientLanguage)}
            download="oppfolging.ics"
          >
            {t('gp.plan.calendar')}
          </a>
        </div>
      )}
      <PrintablePlan patientName={patientName} items={planned} language={patientLanguage} />
    </div>
  );
}

function statusTag(t: TFunction, item: FollowUp, now: number) {
  const overdue = item.status === 'planned' && new Date(item.plannedAt).getTime() < now;
  if (item.status === 'done')
    return (
      <Tag data-color="success" data-size="sm">
        {t('gp.plan.status.done')}
      </Tag>
    );
  if (item.status === 'missed')
    return (
      <Tag data-color="warning" data-size="sm">
        {t('gp.plan.status.missed')}
      </Tag>
    );
  return (
    <Tag data-color={overdue ? 'warning' : 'info'} data-size="sm">
      {overdue ? t('gp.plan.status.overdue') : t('gp.plan.status.planned')}
    </Tag>
  );
}

function PlanRow({
  patientId,
  item,
  colleagues,
  canEdit,
  onChanged,
  onError,
}: {
  patientId: string;
  item: FollowUp;
  colleagues: Colleague[];
  canEdit: boolean;
  onChanged: (items: FollowUp[], message: string) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const planned = item.status === 'planned';
  const now = useNow();
  // A follow-up held earlier than planned shows when it was held, not its old future date.
  const at = item.status === 'done' && item.heldAt ? item.heldAt : item.plannedAt;
  const when = `${formatLongDate(at, language)}, ${formatTime(at, language)}`;
  return (
    <li className={`plan-row plan-row--${item.status}`} data-testid="plan-row" data-status={item.status}>
      <div className="plan-row__main">
        <span className="plan-row__when">{when}</span>
        <span className="plan-row__detail">
          {moduleLabel(t, item.moduleId)} · {t('gp.minutes', { count: item.durationMinutes })} ·{' '}
          {item.gp.displayName}
        </span>
      </div>
      <div className="plan-row__side">
        {statusTag(t, item, now)}
        {item.status !== 'missed' && (
          <AppLink to={cardPath(patientId, item.id)}>
            {planned ? t('gp.plan.openCard') : t('gp.plan.openDone')}
            <span className="ds-sr-only">{`: ${when}`}</span>
          </AppLink>
        )}
      </div>
      {planned && canEdit && (
        <details className="plan-row__edit">
          <summary>
            {t('gp.plan.change')}
            <span className="ds-sr-only">{`: ${when}`}</span>
          </summary>
          <ChangeForm
            patientId={patientId}
            item={item}
            colleagues={colleagues}
            onChanged={onChanged}
            onError={onError}
          />
        </details>
      )}
    </li>
  );
}

/** Date, time and length of a follow-up: the same fields when moving one and when adding one. */
function WhenFields(props: {
  day: string;
  time: string;
  duration: string;
  dateError: string | null;
  onDay: (value: string) => void;
  onTime: (value: string) => void;
  onDuration: (value: string) => void;
}) {
  const { t } = useTranslation();
  const durationId = useId();
  return (
    <>
      <Textfield
        label={t('gp.plan.date')}
        type="date"
        value={props.day}
        error={props.dateError ?? undefined}
        onChange={(event) => props.onDay(event.target.value)}
      />
      <Textfield
        label={t('gp.plan.time')}
        type="time"
        value={props.time}
        onChange={(event) => props.onTime(event.target.value)}
      />
      <Field>
        <Label htmlFor={durationId}>{t('gp.plan.duration')}</Label>
        <Select
          id={durationId}
          value={props.duration}
          onChange={(event) => props.onDuration(event.target.value)}
        >
          {DURATIONS.map((d) => (
            <Select.Option key={d} value={String(d)}>
              {t('gp.minutes', { count: d })}
            </Select.Option>
          ))}
        </Select>
      </Field>
    </>
  );
}

function ChangeForm({
  patientId,
  item,
  colleagues,
  onChanged,
  onError,
}: {
  patientId: string;
  item: FollowUp;
  colleagues: Colleague[];
  onChanged: (items: FollowUp[], message: string) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const planned = new Date(item.plannedAt);
  const [day, setDay] = useState(osloDateInput(planned));
  const [time, setTime] = useState(osloTimeInput(planned));
  const [duration, setDuration] = useState(String(item.durationMinutes));
  const [colleague, setColleague] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [dateError, setDateError] = useState<string | null>(null);
  const colleagueId = useId();
  const now = useNow();

  async function run(kind: string, change: Parameters<typeof gpApi.changeFollowUp>[2], done: string) {
    setBusy(kind);
    try {
      const result = await gpApi.changeFollowUp(patientId, item.id, change);
      onChanged(result.items, done);
    } catch (error) {
      onError(describeError(t, error));
      setBusy(null);
    }
  }

  function onMove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const at = fromOsloInputs(day, time);
    if (!at) {
      setDateError(t('gp.plan.dateMissing'));
      return;
    }
    setDateError(null);
    void run(
      'move',
      { plannedAt: at.toISOString(), durationMinutes: Number(duration) },
      t('gp.plan.moved', {
        date: `${formatLongDate(at.toISOString(), language)}, ${formatTime(at.toISOString(), language)}`,
      })
    );
  }

  return (
    <div className="plan-edit stack-md">
      <form className="stack-sm" onSubmit={onMove} noValidate>
        <div className="field-row">
          <WhenFields
            day={day}
            time={time}
            duration={duration}
            dateError={dateError}
            onDay={setDay}
            onTime={setTime}
            onDuration={setDuration}
          />
        </div>
        <Button
          type="submit"
          variant="secondary"
          data-size="sm"
          loading={busy === 'move'}
          disabled={busy !== null}
        >
          {t('gp.plan.move')}
        </Button>
      </form>
      {colleagues.length > 0 && (
        <div className="stack-sm">
          <Field>
            <Label htmlFor={colleagueId}>{t('gp.plan.handOverTo')}</Label>
            <Select id={colleagueId} value={colleague} onChange={(event) => setColleague(event.target.value)}>
              <Select.Option value="">{t('gp.plan.chooseColleague')}</Select.Option>
              {colleagues.map((c) => (
                <Select.Option key={c.id} value={c.id}>
                  {c.displayName}
                </Select.Option>
              ))}
            </Select>
          </Field>
          <Button
            type="button"
            variant="secondary"
            data-size="sm"
            loading={busy === 'hand'}
            disabled={busy !== null || !colleague}
            onClick={() =>
              void run(
                'hand',
                { gpUserId: colleague },
                t('gp.plan.handedOver', {
                  name: colleagues.find((c) => c.id === colleague)?.displayName ?? '',
                })
              )
            }
          >
            {t('gp.plan.handOver')}
          </Button>
        </div>
      )}
      <div className="plan-edit__danger">
        <Button
          type="button"
          variant="tertiary"
          data-color="danger"
          data-size="sm"
          loading={busy === 'cancel'}
          disabled={busy !== null}
          onClick={() => void run('cancel', { status: 'cancelled' }, t('gp.plan.cancelled'))}
        >
          {t('gp.plan.cancel')}
        </Button>
        {new Date(item.plannedAt).getTime() < now && (
          <Button
            type="button"
            variant="tertiary"
            data-size="sm"
            loading={busy === 'missed'}
            disabled={busy !== null}
            onClick={() => void run('missed', { status: 'missed' }, t('gp.plan.markedMissed'))}
          >
            {t('gp.plan.markMissed')}
          </Button>
        )}
      </div>
    </div>
  );
}

function AddFollowUp({
  patientId,
  onAdded,
  onError,
}: {
  patientId: string;
  onAdded: (items: FollowUp[], message: string) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [open, setOpen] = useState(false);
  const [day, setDay] = useState(osloDateInput(addDays(new Date(), 7)));
  const [time, setTime] = useState('09:00');
  const [duration, setDuration] = useState('20');
  const [moduleId, setModuleId] = useState<'' | ModuleId>('');
  const [busy, setBusy] = useState(false);
  const [dateError, setDateError] = useState<string | null>(null);
  const moduleSelectId = useId();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const at = fromOsloInputs(day, time);
    if (!at) {
      setDateError(t('gp.plan.dateMissing'));
      return;
    }
    setBusy(true);
    try {
      const result = await gpApi.addFollowUp(patientId, {
        plannedAt: at.toISOString(),
        durationMinutes: Number(duration),
        ...(moduleId ? { moduleId } : {}),
      });
      onAdded(
        result.items,
        t('gp.plan.added', {
          date: `${formatLongDate(at.toISOString(), language)}, ${formatTime(at.toISOString(), language)}`,
        })
      );
      setOpen(false);
    } catch (error) {
      onError(describeError(t, error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <details
      className="plan-add"
      open={open}
      onToggle={(event) => {
        setOpen(event.currentTarget.open);
        if (!event.currentTarget.open) setDateError(null);
      }}
    >
      <summary>{t('gp.plan.add')}</summary>
      <form className="stack-sm plan-edit" onSubmit={onSubmit} noValidate>
        <div className="field-row">
          <WhenFields
            day={day}
            time={time}
            duration={duration}
            dateError={dateError}
            onDay={setDay}
            onTime={setTime}
            onDuration={setDuration}
          />
          <Field>
            <Label htmlFor={moduleSelectId}>{t('gp.plan.module')}</Label>
            <Select
              id={moduleSelectId}
              value={moduleId}
              onChange={(event) => {
                const value = event.target.value;
                setModuleId(MODULE_IDS.find((id) => id === value) ?? '');
              }}
            >
              <Select.Option value="">{t('gp.plan.noModule')}</Select.Option>
              {MODULE_IDS.map((id) => (
                <Select.Option key={id} value={id}>
                  {moduleLabel(t, id)}
                </Select.Option>
              ))}
            </Select>
          </Field>
        </div>
        <Button type="submit" variant="secondary" data-size="sm" loading={busy}>
          {t('gp.plan.addSubmit')}
        </Button>
      </form>
    </details>
  );
}

/** The plan as the patient gets it on paper: hidden on screen, printed by "Print plan". */
function PrintablePlan({
  patientName,
  items,
  language,
}: {
  patientName: string;
  items: FollowUp[];
  language: Language;
}) {
  const l = language;
  return (
    <article className="print-plan" lang={language}>
      <h2>{PLAN_TEXT.title[l]}</h2>
      <p>{PLAN_TEXT.intro(patientName)[l]}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{PLAN_TEXT.date[l]}</th>
            <th scope="col">{PLAN_TEXT.time[l]}</th>
            <th scope="col">{PLAN_TEXT.length[l]}</th>
            <th scope="col">{PLAN_TEXT.topic[l]}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>{formatLongDate(item.plannedAt, language)}</td>
              <td>{formatTime(item.plannedAt, language)}</td>
              <td>{PLAN_TEXT.minutes(item.durationMinutes)[l]}</td>
              <td>
                {item.moduleId ? PLAN_TEXT.module(Number(item.moduleId.slice(1)))[l] : PLAN_TEXT.checkIn[l]}
                {` (${item.gp.displayName})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{PLAN_TEXT.before[l]}</p>
      <p>{PLAN_TEXT.footer[l]}</p>
    </article>
  );
}
