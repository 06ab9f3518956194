/**
 * Inter-coder agreement and the comparison of coders (issue 15). Agreement per code, computed by
 * the server on character-level units (domain/qualitative/agreement.ts): percentage agreement,
 * Cohen's kappa for two coders, Krippendorff's alpha for any number; undefined statistics come with
 * their reason. The comparison shows, turn by turn, which codes each coder applied, so the group can
 * talk about where they differ. Coders see agreement; the lead and readers also compare codings
 * (a coder codes without seeing the others').
 */
import {
  Checkbox,
  Field,
  Fieldset,
  Heading,
  Label,
  Paragraph,
  Select,
  Table,
} from '@digdir/designsystemet-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { useLanguage } from '../../../i18n/useLanguage.js';
import { qualitativeApi, type AgreementView, type StudyDetail } from './qualitative-api.js';
import { studyPath } from './StudyWork.js';

export function AgreementPage() {
  const { t } = useTranslation();
  const { studyId = '' } = useParams();
  const study = useApiData((signal) => qualitativeApi.study(studyId, signal), [studyId]);
  usePageTitle(t('qualWork.agreementHeading'));
  if (study.status === 'error' && !study.data)
    return <LoadError error={study.error} onRetry={study.reload} />;
  if (!study.data) return <Loading />;
  return <Agreement study={study.data} />;
}

function Agreement({ study }: { study: StudyDetail }) {
  const { t } = useTranslation();
  const coders = study.members.filter((m) => m.role !== 'reader');
  const [chosen, setChosen] = useState<string[]>(coders.map((c) => c.userId));
  const key = [...chosen].sort().join(',');
  const agreement = useApiData(
    (signal) =>
      chosen.length >= 2
        ? qualitativeApi.agreement(study.id, [...chosen].sort(), signal)
        : Promise.resolve<AgreementView | null>(null),
    [study.id, key]
  );

  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(study.id)}>{t('qual.back')}</AppLink>
      <PageHeading>{t('qualWork.agreementHeading')}</PageHeading>
      <Paragraph>{t('qualWork.agreementIntro')}</Paragraph>
      <Fieldset>
        <Fieldset.Legend>{t('qualWork.coders')}</Fieldset.Legend>
        {coders.map((c) => (
          <Checkbox
            key={c.userId}
            value={c.userId}
            label={c.displayName}
            checked={chosen.includes(c.userId)}
            onChange={(event) =>
              setChosen((ids) =>
                event.target.checked ? [...ids, c.userId] : ids.filter((id) => id !== c.userId)
              )
            }
          />
        ))}
      </Fieldset>
      {chosen.length < 2 && <Paragraph>{t('qualWork.chooseTwo')}</Paragraph>}
      {agreement.status === 'error' && <LoadError error={agreement.error} onRetry={agreement.reload} />}
      {agreement.data && <AgreementTable view={agreement.data} />}
      {study.role !== 'coder' && <Comparison study={study} />}
    </div>
  );
}

function AgreementTable({ view }: { view: AgreementView }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const number = (value: number | null, digits = 2) =>
    value === null
      ? '–'
      : value.toLocaleString(language === 'nb' ? 'nb-NO' : 'en-GB', {
          maximumFractionDigits: digits,
          minimumFractionDigits: digits,
        });
  const stat = (s: { value: number | null; reason?: string | undefined }, digits = 2) =>
    s.value === null ? (
      <span title={s.reason}>– {s.reason ? `(${s.reason})` : ''}</span>
    ) : (
      number(s.value, digits)
    );
  if (view.sources.length === 0) return <Paragraph>{t('qualWork.nothingInCommon')}</Paragraph>;
  return (
    <section aria-labelledby="agreement-table-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="agreement-table-heading">
        {t('qualWork.perCode')}
      </Heading>
      <Paragraph data-size="sm">
        {t('qualWork.comparedSources', {
          count: view.sources.length,
          titles: view.sources.map((s) => s.title).join(', '),
        })}
      </Paragraph>
      <Paragraph>
        <strong>{t('qualWork.overallAlpha')}:</strong> {stat(view.overallAlpha, 3)}
      </Paragraph>
      <Table data-size="sm" className="qual-agreement">
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell>{t('qualWork.code')}</Table.HeaderCell>
            {view.coders.map((c) => (
              <Table.HeaderCell key={c.id}>{t('qualWork.charsBy', { name: c.name })}</Table.HeaderCell>
            ))}
            <Table.HeaderCell>{t('qualWork.percent')}</Table.HeaderCell>
            {view.coders.length === 2 && <Table.HeaderCell>{t('qualWork.kappa')}</Table.HeaderCell>}
            <Table.HeaderCell>{t('qualWork.alpha')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {view.codes.map((code) => (
            <Table.Row key={code.codeId}>
              <Table.HeaderCell scope="row">{code.name}</Table.HeaderCell>
              {view.coders.map((c) => (
                <Table.Cell key={c.id}>{code.coded[c.id] ?? 0}</Table.Cell>
              ))}
              <Table.Cell>
                {code.percentAgreement.value === null
                  ? '–'
                  : `${number(code.percentAgreement.value * 100, 1)} %`}
              </Table.Cell>
              {view.coders.length === 2 && <Table.Cell>{stat(code.kappa)}</Table.Cell>}
              <Table.Cell>{stat(code.alpha)}</Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      <Paragraph data-size="sm">{t('qualWork.agreementMethod')}</Paragraph>
    </section>
  );
}

/** Turn by turn, the codes each coder applied in one transcript. */
function Comparison({ study }: { study: StudyDetail }) {
  const { t } = useTranslation();
  const open = study.sources.filter((s) => s.status === 'open_for_coding');
  const [sourceId, setSourceId] = useState(open[0]?.id ?? '');
  const data = useApiData(
    async (signal) => {
      if (!sourceId) return null;
      const [source, codings, codebook] = await Promise.all([
        qualitativeApi.source(study.id, sourceId, signal),
        qualitativeApi.codings(study.id, sourceId, signal, 'all'),
        qualitativeApi.codebook(study.id, signal),
      ]);
      return { source, codings: codings.codings, codebook: codebook.codes };
    },
    [study.id, sourceId]
  );
  const rows = useMemo(() => {
    if (!data.data) return [];
    const { source, codings, codebook } = data.data;
    const names = new Map(codebook.map((c) => [c.id, c.name]));
    return source.turns
      .map((turn) => {
        const inTurn = codings.filter((c) => c.start < turn.end && c.end > turn.start);
        const byCoder = new Map<string, Set<string>>();
        for (const c of inTurn) {
          const set = byCoder.get(c.coderId) ?? new Set<string>();
          set.add(names.get(c.codeId) ?? c.codeId);
          byCoder.set(c.coderId, set);
        }
        return { turn, byCoder, text: source.text.slice(turn.start, turn.end) };
      })
      .filter((row) => row.byCoder.size > 0);
  }, [data.data]);
  const coders = study.members.filter((m) => m.role !== 'reader');
  const same = (a: Set<string> | undefined, b: Set<string> | undefined) =>
    (a?.size ?? 0) === (b?.size ?? 0) && [...(a ?? [])].every((x) => b?.has(x));

  return (
    <section aria-labelledby="comparison-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="comparison-heading">
        {t('qualWork.comparisonHeading')}
      </Heading>
      <Field>
        <Label htmlFor="comparison-source">{t('qualWork.transcript')}</Label>
        <Select id="comparison-source" value={sourceId} onChange={(event) => setSourceId(event.target.value)}>
          {open.map((s) => (
            <Select.Option key={s.id} value={s.id}>
              {s.title}
            </Select.Option>
          ))}
        </Select>
      </Field>
      {data.status === 'error' && <LoadError error={data.error} onRetry={data.reload} />}
      {data.data && rows.length === 0 && <Paragraph>{t('qualWork.noCodingsHere')}</Paragraph>}
      {rows.length > 0 && (
        <Table data-size="sm" className="qual-comparison">
          <Table.Head>
            <Table.Row>
              <Table.HeaderCell>{t('qualWork.turn')}</Table.HeaderCell>
              {coders.map((c) => (
                <Table.HeaderCell key={c.userId}>{c.displayName}</Table.HeaderCell>
              ))}
            </Table.Row>
          </Table.Head>
          <Table.Body>
            {rows.map(({ turn, byCoder, text }) => {
              const sets = coders.map((c) => byCoder.get(c.userId));
              const agree = sets.every((s) => same(s, sets[0]));
              return (
                <Table.Row key={turn.index} data-agree={agree ? 'true' : 'false'}>
                  <Table.Cell>
                    <AppLink to={`${studyPath(study.id)}/sources/${sourceId}#at-${turn.start}`}>
                      {turn.speaker ? `${turn.speaker}: ` : ''}
                      {text.length > 90 ? `${text.slice(0, 89)}…` : text}
                    </AppLink>
                    {!agree && <span className="qual-differ"> ({t('qualWork.differ')})</span>}
                  </Table.Cell>
                  {sets.map((s, i) => (
                    <Table.Cell key={coders[i]!.userId}>{s ? [...s].sort().join(', ') : '–'}</Table.Cell>
                  ))}
                </Table.Row>
              );
            })}
          </Table.Body>
        </Table>
      )}
    </section>
  );
}
