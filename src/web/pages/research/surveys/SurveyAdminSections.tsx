/**
 * The researcher's actions on one survey beyond open/close and the frame (issue 14): a new
 * questionnaire version from a JSON file, invitations to a wave (a new wave label starts the next
 * wave: everyone in the frame not yet invited to it, less opt-outs and bounces), and the
 * waiting-room links of an anonymous survey, one per practice and wave, each with its printable
 * poster in bokmål and English.
 */
import {
  Alert,
  Button,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  Table,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AppLink } from '../../../components/AppLink.js';
import { describeError } from '../../../components/errors.js';
import { LoadError } from '../../../components/LoadError.js';
import { TableScroll } from '../../../components/TableScroll.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { QuestionnaireProblems, readJsonFile, type QuestionnaireFailure } from './QuestionnaireProblems.js';
import {
  surveysApi,
  type CreateSurveyBody,
  type InvitationsCreated,
  type PracticeLink,
  type SurveyVersionResult,
} from './surveys-api.js';

/** As the contract's WaveLabel: letters, digits, _ and -, at most 32. */
const WAVE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const DEFAULT_WAVE = 'baseline';

export function NewVersionSection({ surveyId, onSaved }: { surveyId: string; onSaved: () => void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<QuestionnaireFailure | null>(null);
  const [result, setResult] = useState<SurveyVersionResult | null>(null);
  const [busy, setBusy] = useState(false);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setFailure(null);
    setResult(null);
    const questionnaire = await readJsonFile(file);
    if (!questionnaire) {
      setFailure({ kind: 'notJson' });
      return;
    }
    setBusy(true);
    try {
      setResult(
        await surveysApi.putQuestionnaire(surveyId, questionnaire as CreateSurveyBody['questionnaire'])
      );
      onSaved();
    } catch (error) {
      setFailure({ kind: 'api', error });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="version-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="version-heading">
        {t('researchSurveyAdmin.versionHeading')}
      </Heading>
      <Paragraph>{t('researchSurveyAdmin.versionIntro')}</Paragraph>
      <QuestionnaireProblems failure={failure} id="version-problems" />
      <Field>
        <Label htmlFor="version-file">{t('researchSurveyAdmin.file')}</Label>
        <input
          id="version-file"
          type="file"
          accept=".json,application/json,application/fhir+json"
          disabled={busy}
          onChange={(event) => void onFile(event.target.files?.[0])}
        />
      </Field>
      {result && (
        <Alert data-color="success" data-testid="version-result">
          <Paragraph>
            {t(`researchSurveyAdmin.versionOutcome.${result.outcome}`, { version: result.version })}
          </Paragraph>
          {result.note && <Paragraph data-size="sm">{result.note}</Paragraph>}
        </Alert>
      )}
    </section>
  );
}

export function InvitationsSection({
  surveyId,
  frameSize,
  onSent,
}: {
  surveyId: string;
  frameSize: number;
  onSent: () => void;
}) {
  const { t } = useTranslation();
  const [wave, setWave] = useState(DEFAULT_WAVE);
  const [waveError, setWaveError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<InvitationsCreated | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setSent(null);
    if (!WAVE_PATTERN.test(wave)) {
      setWaveError(t('researchSurveyAdmin.waveInvalid'));
      document.getElementById('invite-wave')?.focus();
      return;
    }
    setWaveError(null);
    setBusy(true);
    try {
      setSent(await surveysApi.invite(surveyId, wave));
      onSent();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="invite-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="invite-heading">
        {t('researchSurveyAdmin.inviteHeading')}
      </Heading>
      <Paragraph>{t('researchSurveyAdmin.inviteIntro', { count: frameSize })}</Paragraph>
      <form className="stack-sm" noValidate onSubmit={(event) => void onSubmit(event)}>
        <Textfield
          id="invite-wave"
          label={t('researchSurveyAdmin.wave')}
          description={t('researchSurveyAdmin.waveHelp')}
          value={wave}
          maxLength={32}
          autoComplete="off"
          error={waveError ?? undefined}
          onChange={(event) => setWave(event.target.value.trim())}
        />
        <div>
          <Button type="submit" loading={busy}>
            {t('researchSurveyAdmin.invite', { wave })}
          </Button>
        </div>
      </form>
      {error && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{error}</Paragraph>
        </Alert>
      )}
      {sent && (
        <Alert data-color="success" data-testid="invitations-result">
          <Paragraph>
            {t('researchSurveyAdmin.invited', {
              created: sent.created,
              skipped: sent.skipped,
              wave: sent.wave,
            })}
          </Paragraph>
        </Alert>
      )}
    </section>
  );
}

export function PracticeLinksSection({
  surveyId,
  links,
  onCreated,
}: {
  surveyId: string;
  links: readonly PracticeLink[];
  onCreated: () => void;
}) {
  const { t } = useTranslation();
  const practices = useApiData((signal) => surveysApi.practices(signal), []);
  const [practiceId, setPracticeId] = useState('');
  const [wave, setWave] = useState(DEFAULT_WAVE);
  const [fieldErrors, setFieldErrors] = useState<{ practice?: string; wave?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const found: { practice?: string; wave?: string } = {};
    if (!practiceId) found.practice = t('researchSurveyAdmin.practiceRequired');
    if (!WAVE_PATTERN.test(wave)) found.wave = t('researchSurveyAdmin.waveInvalid');
    setFieldErrors(found);
    if (found.practice || found.wave) {
      document.getElementById(found.practice ? 'link-practice' : 'link-wave')?.focus();
      return;
    }
    setBusy(true);
    try {
      await surveysApi.createPracticeLink(surveyId, practiceId, wave);
      onCreated();
    } catch (caught) {
      setError(describeError(t, caught));
    } finally {
      setBusy(false);
    }
  }

  const caption = t('researchSurveyAdmin.linksCaption');
  return (
    <section aria-labelledby="links-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="links-heading">
        {t('researchSurveys.linksHeading')}
      </Heading>
      <Paragraph>{t('researchSurveyAdmin.linksIntro')}</Paragraph>
      {links.length > 0 && (
        <TableScroll label={caption}>
          <Table data-testid="practice-links">
            <caption>{caption}</caption>
            <Table.Head>
              <Table.Row>
                <Table.HeaderCell>{t('researchSurveys.practice')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveyAdmin.wave')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveyAdmin.link')}</Table.HeaderCell>
                <Table.HeaderCell>{t('researchSurveyAdmin.poster')}</Table.HeaderCell>
              </Table.Row>
            </Table.Head>
            <Table.Body>
              {links.map((link) => (
                <Table.Row key={link.slug}>
                  <Table.HeaderCell scope="row">{link.practiceName}</Table.HeaderCell>
                  <Table.Cell>{link.wave}</Table.Cell>
                  <Table.Cell>
                    <code>{link.url}</code>
                  </Table.Cell>
                  <Table.Cell>
                    <span className="survey-poster-links">
                      {(['nb', 'en'] as const).map((lang) => (
                        <AppLink
                          key={lang}
                          to={`/research/surveys/${surveyId}/practice-links/${link.slug}/poster?lang=${lang}`}
                        >
                          {t(`researchSurveyAdmin.printPoster.${lang}`, { practice: link.practiceName })}
                        </AppLink>
                      ))}
                    </span>
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </TableScroll>
      )}
      <form className="stack-sm" noValidate onSubmit={(event) => void onSubmit(event)}>
        <Heading level={3} data-size="2xs">
          {t('researchSurveyAdmin.newLink')}
        </Heading>
        {practices.status === 'error' && <LoadError error={practices.error} onRetry={practices.reload} />}
        <Field>
          <Label htmlFor="link-practice">{t('researchSurveys.practice')}</Label>
          <Select
            id="link-practice"
            value={practiceId}
            aria-invalid={fieldErrors.practice ? true : undefined}
            onChange={(event) => setPracticeId(event.target.value)}
          >
            <Select.Option value="" disabled>
              {t('researchSurveyAdmin.practicePlaceholder')}
            </Select.Option>
            {(practices.data?.items ?? []).map((practice) => (
              <Select.Option key={practice.id} value={practice.id}>
                {practice.name}
              </Select.Option>
            ))}
          </Select>
          {fieldErrors.practice && <ValidationMessage>{fieldErrors.practice}</ValidationMessage>}
        </Field>
        <Textfield
          id="link-wave"
          label={t('researchSurveyAdmin.wave')}
          description={t('researchSurveyAdmin.linkWaveHelp')}
          value={wave}
          maxLength={32}
          autoComplete="off"
          error={fieldErrors.wave}
          onChange={(event) => setWave(event.target.value.trim())}
        />
        <div>
          <Button type="submit" loading={busy}>
            {t('researchSurveyAdmin.createLink')}
          </Button>
        </div>
        {error && (
          <Alert data-color="danger" role="alert">
            <Paragraph>{error}</Paragraph>
          </Alert>
        )}
      </form>
    </section>
  );
}
