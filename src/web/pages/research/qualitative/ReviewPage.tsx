/**
 * De-identification before anyone codes (issue 15): the lead sees every proposed replacement in
 * its context (names from the participant list and the name lists, places, workplaces, ages,
 * dates, numbers and capitalised words), accepts, edits or rejects each, and opens the transcript
 * for coding only when every proposal is decided; the server holds the same rule.
 */
import { Alert, Button, Paragraph, Select, Table, Textfield } from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { ProblemMessage } from './ProblemMessage.js';
import { qualitativeApi, type DecideBody, type SourceReview } from './qualitative-api.js';
import { studyPath } from './StudyWork.js';

type Action = DecideBody['decisions'][number]['action'];
interface Draft {
  action: Action | '';
  replacement: string;
}

const CONTEXT = 50;

export function ReviewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { studyId = '', sourceId = '' } = useParams();
  const review = useApiData(
    (signal) => qualitativeApi.review(studyId, sourceId, signal),
    [studyId, sourceId]
  );
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  usePageTitle(t('qualWork.reviewHeading'));

  if (review.status === 'error' && !review.data)
    return (
      <div className="page stack-lg">
        <AppLink to={studyPath(studyId)}>{t('qual.back')}</AppLink>
        <LoadError error={review.error} onRetry={review.reload} />
      </div>
    );
  if (!review.data) return <Loading />;
  const data: SourceReview = review.data;
  // what the page shows for a proposal: the researcher's change, else the recorded decision
  const draftOf = (p: SourceReview['proposals'][number]): Draft =>
    drafts[p.id] ?? {
      action: p.decision?.action ?? '',
      replacement: p.decision?.replacement ?? p.replacement,
    };
  const undecided = data.proposals.filter((p) => !draftOf(p).action).length;

  async function save(overrides?: Record<string, Draft>) {
    const current = overrides ?? drafts;
    const decisions = data.proposals.flatMap((p) => {
      const d = current[p.id] ?? draftOf(p);
      if (!d?.action) return [];
      const recorded = p.decision;
      const changed =
        !recorded ||
        recorded.action !== d.action ||
        (d.action === 'edit' && (recorded.replacement ?? '') !== d.replacement);
      if (!changed) return [];
      return [
        {
          proposalId: p.id,
          action: d.action,
          ...(d.action === 'edit' ? { replacement: d.replacement.trim() } : {}),
        },
      ];
    });
    setError(null);
    setSaved(null);
    if (decisions.length === 0) return true;
    setBusy(true);
    try {
      const result = await qualitativeApi.decide(studyId, sourceId, { decisions });
      setSaved(t('qualWork.decisionsSaved', { decided: result.decided, total: result.total }));
      review.reload();
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function acceptRest() {
    const next = { ...drafts };
    for (const p of data.proposals)
      if (!next[p.id]?.action) next[p.id] = { action: 'accept', replacement: p.replacement };
    setDrafts(next);
    await save(next);
  }

  async function apply() {
    if (!(await save())) return;
    setBusy(true);
    try {
      await qualitativeApi.applyReview(studyId, sourceId);
      void navigate(`${studyPath(studyId)}/sources/${sourceId}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const text = data.originalText;
  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(studyId)}>{t('qual.back')}</AppLink>
      <PageHeading>{t('qualWork.reviewHeading')}</PageHeading>
      {data.status !== 'deidentifying' ? (
        <Paragraph>{t('qualWork.reviewDone')}</Paragraph>
      ) : (
        <>
          <Paragraph>{t('qualWork.reviewIntro')}</Paragraph>
          <Paragraph>
            <strong>
              {t('qualWork.reviewCount', { decided: data.total - undecided, total: data.total })}
            </strong>
          </Paragraph>
          <Table className="qual-review">
            <caption>{t('qualWork.proposalsCaption')}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('qualWork.inContext')}</Table.HeaderCell>
                <Table.HeaderCell>{t('qualWork.why')}</Table.HeaderCell>
                <Table.HeaderCell>{t('qualWork.decision')}</Table.HeaderCell>
                <Table.HeaderCell>{t('qualWork.replacement')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {data.proposals.map((p, i) => {
                const draft = draftOf(p);
                const set = (change: Partial<Draft>) =>
                  setDrafts((all) => ({ ...all, [p.id]: { ...draft, ...change } }));
                return (
                  <Table.Row key={p.id} data-proposal={p.original}>
                    <Table.Cell>
                      {text && p.start !== null && p.end !== null ? (
                        <>
                          …{text.slice(Math.max(0, p.start - CONTEXT), p.start)}
                          <mark>{text.slice(p.start, p.end)}</mark>
                          {text.slice(p.end, p.end + CONTEXT)}…
                        </>
                      ) : (
                        <>
                          {t('qualWork.speakerLabel')}: <mark>{p.original}</mark>
                        </>
                      )}
                    </Table.Cell>
                    <Table.Cell>{t(`qualWork.kinds.${p.kind}`, { defaultValue: p.kind })}</Table.Cell>
                    <Table.Cell>
                      <Select
                        aria-label={t('qualWork.decisionFor', { number: i + 1, original: p.original })}
                        value={draft.action}
                        onChange={(event) => set({ action: event.target.value as Action | '' })}
                      >
                        <Select.Option value="">{t('qualWork.undecided')}</Select.Option>
                        <Select.Option value="accept">{t('qualWork.actions.accept')}</Select.Option>
                        <Select.Option value="edit">{t('qualWork.actions.edit')}</Select.Option>
                        <Select.Option value="reject">{t('qualWork.actions.reject')}</Select.Option>
                      </Select>
                    </Table.Cell>
                    <Table.Cell>
                      {draft.action === 'edit' ? (
                        <Textfield
                          label={t('qualWork.replacementFor', { number: i + 1 })}
                          value={draft.replacement}
                          maxLength={80}
                          onChange={(event) => set({ replacement: event.target.value })}
                        />
                      ) : draft.action === 'reject' ? (
                        <span>{t('qualWork.kept')}</span>
                      ) : (
                        p.replacement
                      )}
                    </Table.Cell>
                  </Table.Row>
                );
              })}
            </Table.Body>
          </Table>
          <div aria-live="polite">
            {saved && <Alert data-color="success">{saved}</Alert>}
            {error !== null && <ProblemMessage error={error} />}
          </div>
          <div className="button-row">
            <Button variant="secondary" loading={busy} onClick={() => void save()}>
              {t('qualWork.saveDecisions')}
            </Button>
            {undecided > 0 && (
              <Button variant="secondary" loading={busy} onClick={() => void acceptRest()}>
                {t('qualWork.acceptRest', { count: undecided })}
              </Button>
            )}
            <Button disabled={undecided > 0} loading={busy} onClick={() => void apply()}>
              {t('qualWork.applyReview')}
            </Button>
          </div>
          {undecided > 0 && <Paragraph data-size="sm">{t('qualWork.applyNeedsAll')}</Paragraph>}
        </>
      )}
    </div>
  );
}
