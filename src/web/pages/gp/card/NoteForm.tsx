/**
 * The GP's structured note (answers "no time"): what was discussed, the plan, the next step, how
 * the talk was held and for how long, and sick leave. While typing, the consultation note text is
 * previewed exactly as it will be pasted into the patient record (the same domain function as the
 * server), with the fee codes that may apply pre-ticked for the GP to confirm. "Follow-up done"
 * stores it, marks the follow-up held and moves to the next planned one.
 */
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Heading,
  Paragraph,
  Radio,
  Textfield,
} from '@digdir/designsystemet-react';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  consultationNoteText,
  suggestFeeCodes,
  type NoteContext,
  type SickLeaveStatus,
  type StructuredNote,
} from '../../../../domain/followup/note.js';
import { ApiError } from '../../../api/client.js';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { formatLongDate, formatTime } from '../../../format.js';
import type { Language } from '../../../i18n/index.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import type { FollowUpCard, NoteWritten } from '../../../../contract/followup.js';
import { gpApi } from '../gp-api.js';
import { cardPath } from '../paths.js';
import { useNow } from '../time.js';
import { CopyButton } from './CopyButton.js';
import { SendToRecord } from './SendToRecord.js';
import { DocumentLanguageToggle } from '../DocumentLanguageToggle.js';
import './NoteForm.css';

const DAY = 24 * 60 * 60 * 1000;
type Mode = StructuredNote['mode'];
const MODES: readonly Mode[] = ['in_person', 'video', 'phone'];
const SICK_LEAVE: readonly SickLeaveStatus[] = ['none', 'graded', 'full'];
const CODE_PATTERN = /^[0-9a-z]{1,6}$/;

type Errors = Partial<Record<'durationMinutes' | 'percent' | 'from' | 'to' | 'extraCodes', string>>;

export function NoteForm({
  card,
  nextPlannedAt,
  moduleTitleIn,
  onSaved,
}: {
  card: FollowUpCard;
  /** The next planned follow-up after this one, for the note's last line. */
  nextPlannedAt: string | null;
  /** The module's title in a given language (the note may be written in the other one). */
  moduleTitleIn: (language: Language) => string | null;
  onSaved: (result: NoteWritten) => void;
}) {
  const { t } = useTranslation();
  const uiLanguage = useLanguage();
  const previous = card.work.sickLeave;
  const [discussed, setDiscussed] = useState('');
  const [plan, setPlan] = useState('');
  const [nextStep, setNextStep] = useState('');
  const [mode, setMode] = useState<Mode>('in_person');
  const [duration, setDuration] = useState(String(card.followUp.durationMinutes));
  const [sickStatus, setSickStatus] = useState<SickLeaveStatus>(previous?.status ?? 'none');
  const [percent, setPercent] = useState(previous?.percent ? String(previous.percent) : '');
  const [from, setFrom] = useState(previous?.from ?? '');
  const [to, setTo] = useState(previous?.to ?? '');
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const [extraCodes, setExtraCodes] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);
  const now = useNow();

  const minutes = Number(duration);
  const latest = card.scores.phq9.at(-1) ?? null;
  const phq9Reviewed = Boolean(latest && now - new Date(latest.answeredAt).getTime() < 7 * DAY);
  const suggestions = suggestFeeCodes(
    { mode, durationMinutes: Number.isFinite(minutes) ? minutes : 0 },
    phq9Reviewed
  );
  const ticked = suggestions.filter((s) => !unticked.has(s.code)).map((s) => s.code);
  const extras = extraCodes
    .split(/[\s,;]+/)
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);

  const note: StructuredNote = {
    discussed,
    plan,
    nextStep,
    mode,
    durationMinutes: Number.isFinite(minutes) && minutes > 0 ? minutes : card.followUp.durationMinutes,
    sickLeave: {
      status: sickStatus,
      percent: sickStatus === 'graded' && percent ? Number(percent) : null,
      from: sickStatus !== 'none' && from ? from : null,
      to: sickStatus !== 'none' && to ? to : null,
    },
  };
  const context: NoteContext = {
    // The module the patient has done (domain/followup/plan.ts moduleOfTalk), as in the server's note.
    moduleNumber: card.module.completedByPatient ? card.module.number : null,
    moduleTitle: card.module.completedByPatient ? moduleTitleIn(language) : null,
    phq9: latest ? { total: latest.total, severity: latest.severity, item9: latest.item9 } : null,
    baselinePhq9: card.scores.baselinePhq9,
    patientAgenda: card.agenda?.talkAbout.trim() || null,
    nextFollowUpAt: nextPlannedAt ? new Date(nextPlannedAt) : null,
    feeCodes: [...ticked, ...extras],
  };
  // The preview, the copied text and the saved note are one text (fee codes and P76 included).
  const preview = consultationNoteText(note, context, language);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  function validate(): Errors {
    const next: Errors = {};
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 180)
      next.durationMinutes = t('gp.note.durationInvalid');
    if (sickStatus === 'graded') {
      const p = Number(percent);
      if (!percent || !Number.isInteger(p) || p < 1 || p > 99) next.percent = t('gp.note.percentInvalid');
    }
    if (sickStatus !== 'none' && !from) next.from = t('gp.note.fromMissing');
    if (sickStatus !== 'none' && from && to && to < from) next.to = t('gp.note.toBeforeFrom');
    if (extras.some((c) => !CODE_PATTERN.test(c))) next.extraCodes = t('gp.note.codesInvalid');
    return next;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError(t('gp.note.fixErrors'));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const result = await gpApi.saveNote(card.patient.id, card.followUp.id, {
        ...note,
        feeCodes: [...new Set([...ticked, ...extras])],
        language,
      });
      onSaved(result);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) setError(t('gp.note.alreadyDone'));
      else setError(describeError(t, caught));
      setSubmitting(false);
    }
  }

  return (
    <form className="note-form" onSubmit={onSubmit} noValidate data-testid="note-form">
      <div className="note-form__fields stack-md">
        <Textfield
          label={t('gp.note.discussed')}
          description={t('gp.note.discussedHelp')}
          multiline
          rows={3}
          maxLength={4000}
          value={discussed}
          onChange={(event) => setDiscussed(event.target.value)}
        />
        <Textfield
          label={t('gp.note.plan')}
          multiline
          rows={2}
          maxLength={4000}
          value={plan}
          onChange={(event) => setPlan(event.target.value)}
        />
        <Textfield
          label={t('gp.note.nextStep')}
          description={t('gp.note.nextStepHelp')}
          multiline
          rows={2}
          maxLength={2000}
          value={nextStep}
          onChange={(event) => setNextStep(event.target.value)}
        />
        <div className="field-row">
          <Fieldset className="note-form__mode">
            <Fieldset.Legend>{t('gp.note.mode')}</Fieldset.Legend>
            <div className="inline-options">
              {MODES.map((value) => (
                <Radio
                  key={value}
                  name="note-mode"
                  value={value}
                  label={t(`gp.note.modes.${value}`)}
                  checked={mode === value}
                  onChange={() => setMode(value)}
                />
              ))}
            </div>
          </Fieldset>
          <Textfield
            label={t('gp.note.duration')}
            type="number"
            inputMode="numeric"
            min={1}
            max={180}
            className="note-form__duration"
            value={duration}
            error={errors.durationMinutes}
            onChange={(event) => setDuration(event.target.value)}
          />
        </div>
        <Fieldset>
          <Fieldset.Legend>{t('gp.note.sickLeave')}</Fieldset.Legend>
          {previous && <Fieldset.Description>{t('gp.note.sickLeavePrefilled')}</Fieldset.Description>}
          <div className="inline-options">
            {SICK_LEAVE.map((value) => (
              <Radio
                key={value}
                name="note-sick-leave"
                value={value}
                label={t(`gp.note.sickLeaveStatus.${value}`)}
                checked={sickStatus === value}
                onChange={() => setSickStatus(value)}
              />
            ))}
          </div>
        </Fieldset>
        {sickStatus !== 'none' && (
          <div className="field-row">
            {sickStatus === 'graded' && (
              <Textfield
                label={t('gp.note.percent')}
                type="number"
                inputMode="numeric"
                min={1}
                max={99}
                className="note-form__percent"
                value={percent}
                error={errors.percent}
                onChange={(event) => setPercent(event.target.value)}
              />
            )}
            <Textfield
              label={t('gp.note.from')}
              type="date"
              value={from}
              error={errors.from}
              onChange={(event) => setFrom(event.target.value)}
            />
            <Textfield
              label={t('gp.note.to')}
              type="date"
              value={to}
              min={from || undefined}
              error={errors.to}
              onChange={(event) => setTo(event.target.value)}
            />
          </div>
        )}
        <Fieldset aria-describedby={errors.extraCodes ? 'extra-codes-error' : undefined}>
          <Fieldset.Legend>{t('gp.note.feeCodes')}</Fieldset.Legend>
          <Fieldset.Description>
            {t('gp.note.feeCodesHelp')} <AppLink to="/gp/fee-codes">{t('gp.note.feeCodeSources')}</AppLink>
          </Fieldset.Description>
          <div className="fee-codes" data-testid="fee-codes">
            {suggestions.map((suggestion) => (
              <Checkbox
                key={suggestion.code}
                value={suggestion.code}
                label={<span className="fee-code__code">{suggestion.code}</span>}
                description={suggestion.why[uiLanguage]}
                checked={!unticked.has(suggestion.code)}
                onChange={(event) => {
                  const checked = event.target.checked;
                  setUnticked((previousSet) => {
                    const next = new Set(previousSet);
                    if (checked) next.delete(suggestion.code);
                    else next.add(suggestion.code);
                    return next;
                  });
                }}
              />
            ))}
          </div>
          <Textfield
            label={t('gp.note.otherCodes')}
            description={t('gp.note.otherCodesHelp')}
            className="note-form__codes"
            value={extraCodes}
            error={errors.extraCodes}
            onChange={(event) => setExtraCodes(event.target.value)}
          />
        </Fieldset>
      </div>

      <div className="note-preview stack-sm" data-testid="note-preview-box">
        <div className="note-preview__head">
          <Heading level={3} data-size="2xs" id="note-preview-heading">
            {t('gp.note.preview')}
          </Heading>
          <DocumentLanguageToggle
            value={language}
            onChange={setLanguage}
            label={t('gp.note.languageLabel')}
          />
        </div>
        <p
          className="note-preview__text"
          aria-labelledby="note-preview-heading"
          data-testid="note-preview"
          lang={language}
        >
          {preview}
        </p>
        <CopyButton text={preview} label={t('gp.note.copy')} />
      </div>

      <div className="note-form__submit stack-sm">
        {error && (
          <Alert data-color="danger" role="alert" ref={errorRef} tabIndex={-1}>
            <Paragraph>{error}</Paragraph>
            {Object.values(errors).filter(Boolean).length > 0 && (
              <ul className="plain-list">
                {Object.values(errors)
                  .filter(Boolean)
                  .map((text) => (
                    <li key={text}>{text}</li>
                  ))}
              </ul>
            )}
          </Alert>
        )}
        <Button type="submit" data-color="accent" loading={submitting}>
          {submitting ? t('gp.note.saving') : t('gp.note.done')}
        </Button>
        <Paragraph data-size="sm" className="muted">
          {t('gp.note.doneHelp')}
        </Paragraph>
      </div>
    </form>
  );
}

/** After "Follow-up done": the final note text to paste, the codes, and the next follow-up. */
export function NoteSaved({
  result,
  patientId,
  followUpId,
}: {
  result: NoteWritten;
  patientId: string;
  followUpId: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const next = useMemo(() => result.nextFollowUp, [result]);
  return (
    <div className="stack-md note-saved" data-testid="note-saved">
      <Alert data-color="success" ref={ref} tabIndex={-1} className="focus-target">
        <Heading level={3} data-size="xs">
          {t('gp.note.savedHeading')}
        </Heading>
        <Paragraph>{t('gp.note.savedBody')}</Paragraph>
      </Alert>
      <div className="note-preview stack-sm">
        <Heading level={3} data-size="2xs" id="saved-note-heading">
          {t('gp.note.finalText')}
        </Heading>
        <p className="note-preview__text" aria-labelledby="saved-note-heading" data-testid="saved-note-text">
          {result.noteText}
        </p>
        <CopyButton text={result.noteText} label={t('gp.note.copy')} />
        <SendToRecord patientId={patientId} followUpId={followUpId} />
      </div>
      <Paragraph className="next-line" data-testid="next-follow-up-line">
        {next ? (
          <>
            <strong>{t('gp.note.nextLabel')}</strong>{' '}
            <AppLink to={cardPath(patientId, next.id)}>
              {`${formatLongDate(next.plannedAt, language)}, ${formatTime(next.plannedAt, language)}`}
            </AppLink>
          </>
        ) : (
          <>
            {t('gp.note.noNext')}{' '}
            <AppLink to={`/gp/patients/${encodeURIComponent(patientId)}#plan`}>
              {t('gp.note.openPlan')}
            </AppLink>
          </>
        )}
      </Paragraph>
    </div>
  );
}
