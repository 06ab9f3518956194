/**
 * "Recommend the program", in one step (answers "the recommendation was never recorded"): the
 * guidance level (guided by default, each level explained), the suitability check with the latest
 * PHQ-9 band, and — for a severe score or a positive item 9 — the GP's decision, required and
 * recorded; the manual's contraindications asked as a short checklist, each one present with a
 * reason to go ahead. Saving records the recommendation, creates the follow-up plan and the invitation.
 */
import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  Fieldset,
  Heading,
  Paragraph,
  Textfield,
} from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONTRAINDICATIONS,
  GUIDANCE_LEVELS,
  type Contraindication,
  type GuidanceLevel,
} from '../../../domain/followup/plan.js';
import { ApiError } from '../../api/client.js';
import { ChoiceGroup } from '../../components/ChoiceGroup.js';
import { CrisisNote } from '../../components/CrisisNote.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { formatDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { severityLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import type { Recommendation, Suitability } from '../../../contract/followup.js';
import { gpApi } from './gp-api.js';
import './RecommendDialog.css';

export function RecommendDialog({
  open,
  patientId,
  patientName,
  onClose,
  onRecommended,
}: {
  open: boolean;
  patientId: string;
  patientName: string;
  onClose: () => void;
  onRecommended: (result: Recommendation) => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      closeButton={t('gp.recommend.close')}
      aria-labelledby="recommend-dialog-heading"
      className="recommend-dialog"
      data-testid="recommend-dialog"
    >
      {open && (
        <RecommendForm
          patientId={patientId}
          patientName={patientName}
          onCancel={onClose}
          onRecommended={onRecommended}
        />
      )}
    </Dialog>
  );
}

function RecommendForm({
  patientId,
  patientName,
  onCancel,
  onRecommended,
}: {
  patientId: string;
  patientName: string;
  onCancel: () => void;
  onRecommended: (result: Recommendation) => void;
}) {
  const { t } = useTranslation();
  const check = useApiData((signal) => gpApi.suitability(patientId, signal), [patientId]);
  const [level, setLevel] = useState<GuidanceLevel>('guided');
  const [decisionNote, setDecisionNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const needsDecision = check.data?.level === 'needs_decision';
  /** Ticked contraindications with the reason to go ahead; the record's known items are always in. */
  const [ticked, setTicked] = useState<Partial<Record<Contraindication, string>>>({});
  const [reasonErrors, setReasonErrors] = useState<Partial<Record<Contraindication, string>>>({});
  const known = new Set(check.data?.knownPresent ?? []);
  const present = CONTRAINDICATIONS.filter((c) => known.has(c) || ticked[c] !== undefined);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting || !check.data) return;
    const missingReasons = Object.fromEntries(
      present
        .filter((c) => !(ticked[c] ?? '').trim())
        .map((c) => [c, t('gp.recommend.checklist.reasonRequired')])
    );
    setReasonErrors(missingReasons);
    if (needsDecision && !decisionNote.trim()) {
      setNoteError(t('gp.recommend.decisionRequired'));
      document.getElementById('decision-note')?.focus();
      return;
    }
    if (Object.keys(missingReasons).length > 0) {
      document.getElementById(`reason-${Object.keys(missingReasons)[0]}`)?.focus();
      return;
    }
    setSubmitting(true);
    setError(null);
    setNoteError(null);
    try {
      const result = await gpApi.recommend(patientId, {
        guidanceLevel: level,
        ...(decisionNote.trim() ? { decisionNote: decisionNote.trim() } : {}),
        contraindications: present.map((item) => ({ item, reasonToProceed: (ticked[item] ?? '').trim() })),
      });
      onRecommended(result);
    } catch (caught) {
      if (caught instanceof ApiError && caught.fieldErrors.some((e) => e.field === 'decisionNote')) {
        setNoteError(t('gp.recommend.decisionRequired'));
        check.reload();
      } else if (caught instanceof ApiError && caught.status === 409) setError(t('gp.recommend.already'));
      else setError(describeError(t, caught));
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="stack-md">
      <Dialog.Block>
        <Heading level={2} data-size="sm" id="recommend-dialog-heading">
          {t('gp.recommend.heading', { name: patientName })}
        </Heading>
        <Paragraph data-size="sm" className="muted">
          {t('gp.recommend.intro')}
        </Paragraph>
      </Dialog.Block>
      <Dialog.Block className="stack-md">
        {check.status === 'error' && <LoadError error={check.error} onRetry={check.reload} />}
        {!check.data && check.status === 'loading' && <Loading />}
        {check.data && <SuitabilityBox check={check.data} />}
        {needsDecision && (
          <Textfield
            id="decision-note"
            label={t('gp.recommend.decisionLabel')}
            description={t('gp.recommend.decisionHelp')}
            multiline
            rows={3}
            maxLength={1000}
            required
            value={decisionNote}
            error={noteError ?? undefined}
            onChange={(event) => setDecisionNote(event.target.value)}
          />
        )}
        {check.data && (
          <Fieldset data-testid="contraindications">
            <Fieldset.Legend>{t('gp.recommend.checklist.legend')}</Fieldset.Legend>
            <Fieldset.Description>{t('gp.recommend.checklist.help')}</Fieldset.Description>
            {CONTRAINDICATIONS.map((item) => {
              const isKnown = known.has(item);
              const isTicked = isKnown || ticked[item] !== undefined;
              return (
                <div key={item} className="stack-sm">
                  <Checkbox
                    value={item}
                    label={t(`gp.recommend.checklist.item.${item}`)}
                    checked={isTicked}
                    disabled={isKnown}
                    description={isKnown ? t('gp.recommend.checklist.known') : undefined}
                    onChange={(event) => {
                      const checked = event.target.checked;
                      setTicked((previous) => {
                        const next = { ...previous };
                        if (checked) next[item] = next[item] ?? '';
                        else delete next[item];
                        return next;
                      });
                    }}
                  />
                  {isTicked && (
                    <Textfield
                      id={`reason-${item}`}
                      label={t('gp.recommend.checklist.reason')}
                      multiline
                      rows={2}
                      maxLength={1000}
                      value={ticked[item] ?? ''}
                      error={reasonErrors[item]}
                      onChange={(event) => {
                        const value = event.target.value;
                        setTicked((previous) => ({ ...previous, [item]: value }));
                      }}
                    />
                  )}
                </div>
              );
            })}
          </Fieldset>
        )}
        <ChoiceGroup
          id="guidance-level"
          name="guidance-level"
          legend={t('gp.recommend.levelLegend')}
          choices={GUIDANCE_LEVELS.map((value) => ({
            value,
            label: t(`gp.guidance.${value}.label`),
            description: t(`gp.guidance.${value}.description`),
          }))}
          value={level}
          onChange={(value) => {
            if (value === 'guided' || value === 'minimal' || value === 'self') setLevel(value);
          }}
        />
        {error && (
          <Alert data-color="danger" role="alert">
            <Paragraph>{error}</Paragraph>
          </Alert>
        )}
      </Dialog.Block>
      <Dialog.Block className="dialog-actions">
        <Button type="submit" data-color="accent" loading={submitting} disabled={!check.data}>
          {submitting ? t('gp.recommend.submitting') : t('gp.recommend.submit')}
        </Button>
        <Button type="button" variant="tertiary" onClick={onCancel}>
          {t('gp.recommend.cancel')}
        </Button>
      </Dialog.Block>
    </form>
  );
}

function SuitabilityBox({ check }: { check: Suitability }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const latest = check.latestPhq9;
  return (
    <div className="stack-sm" data-testid="suitability">
      <Heading level={3} data-size="2xs">
        {t('gp.recommend.checkHeading')}
      </Heading>
      {latest ? (
        <Paragraph>
          {t('gp.recommend.latest', {
            score: latest.total,
            severity: severityLabel(t, latest.severity).toLowerCase(),
            date: formatDate(latest.answeredAt, language),
            item9: latest.item9,
          })}
        </Paragraph>
      ) : (
        <Paragraph>{t('gp.recommend.noBaseline')}</Paragraph>
      )}
      {check.level === 'ok' && (
        <Alert data-color="success">
          <Paragraph>{t('gp.recommend.ok')}</Paragraph>
        </Alert>
      )}
      {check.advice.includes('see_more_often') && (
        <Alert data-color="info">
          <Paragraph>{t('gp.recommend.seeMoreOften')}</Paragraph>
        </Alert>
      )}
      {check.level === 'needs_decision' && (
        <Alert data-color="warning" className="stack-sm">
          <Paragraph>
            <strong>{t('gp.recommend.warningHeading')}</strong>
          </Paragraph>
          <ul className="plain-list">
            {check.reasons.map((reason) => (
              <li key={reason}>{t(`gp.recommend.reason.${reason}`)}</li>
            ))}
          </ul>
          <Paragraph>{t('gp.recommend.warningBody')}</Paragraph>
          {check.reasons.includes('item9_positive') && <CrisisNote />}
        </Alert>
      )}
    </div>
  );
}
