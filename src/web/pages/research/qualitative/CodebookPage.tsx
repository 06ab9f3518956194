/**
 * The study's codebook (issue 15): hierarchical codes with definition, inclusion and exclusion
 * criteria and an example quotation, how many codings and coders each has, and the
 * reorganisations a codebook goes through: rename, move under another code, merge into another
 * (every coded character kept; domain/qualitative/codebook.ts) and memos on a code. A coder and
 * the lead change it; a reader reads it. The server refuses a duplicate sibling name (400 naming
 * `name`) and a move under the code's own subcode (409), and the page says so.
 */
import {
  Alert,
  Button,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  Textarea,
  Textfield,
} from '@digdir/designsystemet-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { AppLink } from '../../../components/AppLink.js';
import { LoadError } from '../../../components/LoadError.js';
import { Loading } from '../../../components/Loading.js';
import { PageHeading } from '../../../components/PageHeading.js';
import { useApiData } from '../../../hooks/useApiData.js';
import { usePageTitle } from '../../../hooks/usePageTitle.js';
import { ProblemMessage } from './ProblemMessage.js';
import { qualitativeApi, type CodeView } from './qualitative-api.js';
import { studyPath } from './StudyWork.js';

type Fields = Pick<CodeView, 'name' | 'definition' | 'inclusion' | 'exclusion' | 'example'> & {
  parentId: string;
};

export function CodebookPage() {
  const { t } = useTranslation();
  const { studyId = '' } = useParams();
  const codebook = useApiData((signal) => qualitativeApi.codebook(studyId, signal), [studyId]);
  const study = useApiData((signal) => qualitativeApi.study(studyId, signal), [studyId]);
  const [chosen, setChosen] = useState<string | null>(null);
  usePageTitle(t('qualCodebook.heading'));
  const failed = [codebook, study].find((d) => d.status === 'error' && !d.data);
  if (failed) return <LoadError error={failed.error} onRetry={failed.reload} />;
  if (!codebook.data || !study.data) return <Loading />;
  const codes = codebook.data.codes;
  const depth = new Map<string, number>();
  for (const c of codes) depth.set(c.id, c.parentId ? (depth.get(c.parentId) ?? 0) + 1 : 0);
  const mayEdit = study.data.role !== 'reader';
  const current = codes.find((c) => c.id === chosen) ?? null;

  return (
    <div className="page stack-lg">
      <AppLink to={studyPath(studyId)}>{t('qual.back')}</AppLink>
      <PageHeading>{t('qualCodebook.heading')}</PageHeading>
      <Paragraph>{t('qualCodebook.intro')}</Paragraph>
      <section aria-labelledby="codes-heading" className="stack-sm">
        <Heading level={2} data-size="xs" id="codes-heading">
          {t('qualCodebook.codes', { count: codes.length })}
        </Heading>
        <ul className="stack-sm qual-codebook">
          {codes.map((c) => (
            <li key={c.id} style={{ marginInlineStart: `${(depth.get(c.id) ?? 0) * 1.5}rem` }}>
              <Button
                variant="tertiary"
                data-size="sm"
                aria-pressed={c.id === chosen}
                onClick={() => setChosen(c.id)}
              >
                <span className="qual-swatch" style={{ background: c.colour }} aria-hidden="true" />
                {c.name}
              </Button>{' '}
              {t('qualCodebook.counts', { codings: c.codings, coders: c.coders })}
              {c.definition && <span className="muted"> · {c.definition}</span>}
            </li>
          ))}
        </ul>
      </section>
      {current && (
        <CodeEditor
          key={`${current.id}-${current.name}-${current.parentId ?? ''}`}
          studyId={studyId}
          code={current}
          codes={codes}
          mayEdit={mayEdit}
          onChanged={(next) => {
            setChosen(next);
            codebook.reload();
          }}
        />
      )}
      {mayEdit && (
        <NewCode studyId={studyId} codes={codes} onCreated={(id) => (setChosen(id), codebook.reload())} />
      )}
    </div>
  );
}

function CodeFields({
  idPrefix,
  value,
  codes,
  excluded,
  readOnly,
  onChange,
}: {
  idPrefix: string;
  value: Fields;
  codes: readonly CodeView[];
  excluded: string | null;
  readOnly: boolean;
  onChange: (value: Fields) => void;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<Fields>) => onChange({ ...value, ...patch });
  return (
    <>
      <Textfield
        id={`${idPrefix}-name`}
        label={t('qualCodebook.name')}
        value={value.name}
        maxLength={200}
        readOnly={readOnly}
        onChange={(event) => set({ name: event.target.value })}
      />
      <Field>
        <Label htmlFor={`${idPrefix}-parent`}>{t('qualCodebook.parent')}</Label>
        <Select
          id={`${idPrefix}-parent`}
          value={value.parentId}
          disabled={readOnly}
          onChange={(event) => set({ parentId: event.target.value })}
        >
          <Select.Option value="">{t('qualCodebook.top')}</Select.Option>
          {codes
            .filter((c) => c.id !== excluded)
            .map((c) => (
              <Select.Option key={c.id} value={c.id}>
                {c.name}
              </Select.Option>
            ))}
        </Select>
      </Field>
      {(['definition', 'inclusion', 'exclusion', 'example'] as const).map((key) => (
        <Field key={key}>
          <Label htmlFor={`${idPrefix}-${key}`}>{t(`qualCodebook.${key}`)}</Label>
          <Textarea
            id={`${idPrefix}-${key}`}
            rows={2}
            maxLength={4000}
            readOnly={readOnly}
            value={value[key]}
            onChange={(event) => set({ [key]: event.target.value })}
          />
        </Field>
      ))}
    </>
  );
}

function CodeEditor({
  studyId,
  code,
  codes,
  mayEdit,
  onChanged,
}: {
  studyId: string;
  code: CodeView;
  codes: readonly CodeView[];
  mayEdit: boolean;
  onChanged: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState<Fields>({ ...code, parentId: code.parentId ?? '' });
  const [into, setInto] = useState('');
  const [memo, setMemo] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const memos = useApiData(
    (signal) => qualitativeApi.codeMemos(studyId, code.id, signal),
    [studyId, code.id]
  );

  async function run(action: () => Promise<string>, after: string) {
    setError(null);
    setDone(null);
    try {
      const next = await action();
      setDone(after);
      onChanged(next);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-labelledby="code-heading" className="stack-sm qual-group">
      <Heading level={2} data-size="xs" id="code-heading">
        {code.name}
      </Heading>
      <CodeFields
        idPrefix="code"
        value={value}
        codes={codes}
        excluded={code.id}
        readOnly={!mayEdit}
        onChange={setValue}
      />
      <div aria-live="polite">
        {done && <Alert data-color="success">{done}</Alert>}
        {error !== null && <ProblemMessage error={error} />}
      </div>
      {mayEdit && (
        <div className="button-row">
          <Button
            onClick={() =>
              void run(async () => {
                await qualitativeApi.updateCode(studyId, code.id, {
                  name: value.name.trim(),
                  parentId: value.parentId || null,
                  definition: value.definition,
                  inclusion: value.inclusion,
                  exclusion: value.exclusion,
                  example: value.example,
                });
                return code.id;
              }, t('qualCodebook.saved'))
            }
          >
            {t('qualCodebook.save')}
          </Button>
        </div>
      )}
      {mayEdit && (
        <div className="button-row qual-add-line">
          <Field>
            <Label htmlFor="merge-into">{t('qualCodebook.mergeInto', { name: code.name })}</Label>
            <Select id="merge-into" value={into} onChange={(event) => setInto(event.target.value)}>
              <Select.Option value="">{t('qualCodebook.chooseCode')}</Select.Option>
              {codes
                .filter((c) => c.id !== code.id)
                .map((c) => (
                  <Select.Option key={c.id} value={c.id}>
                    {c.name}
                  </Select.Option>
                ))}
            </Select>
          </Field>
          <Button
            variant="secondary"
            disabled={!into}
            onClick={() =>
              void run(
                async () => {
                  const merged = await qualitativeApi.mergeCode(studyId, code.id, into);
                  return merged.intoCodeId;
                },
                t('qualCodebook.merged', { name: code.name })
              )
            }
          >
            {t('qualCodebook.merge')}
          </Button>
        </div>
      )}
      <Heading level={3} data-size="2xs">
        {t('qualCodebook.memos')}
      </Heading>
      {memos.data && memos.data.memos.length === 0 && (
        <Paragraph data-size="sm">{t('qualCodebook.noMemos')}</Paragraph>
      )}
      {memos.data && memos.data.memos.length > 0 && (
        <ul className="stack-sm">
          {memos.data.memos.map((m) => (
            <li key={m.id}>
              <strong>{m.authorName}</strong>: {m.text}
            </li>
          ))}
        </ul>
      )}
      {mayEdit && (
        <div className="stack-sm">
          <Field>
            <Label htmlFor="code-memo">{t('qualCodebook.newMemo', { name: code.name })}</Label>
            <Textarea
              id="code-memo"
              rows={2}
              maxLength={10_000}
              value={memo}
              onChange={(e) => setMemo(e.target.value)}
            />
          </Field>
          <div>
            <Button
              variant="secondary"
              data-size="sm"
              disabled={!memo.trim()}
              onClick={() =>
                void (async () => {
                  setError(null);
                  try {
                    await qualitativeApi.createMemo(studyId, {
                      target: 'code',
                      codeId: code.id,
                      text: memo.trim(),
                    });
                    setMemo('');
                    memos.reload();
                  } catch (caught) {
                    setError(caught);
                  }
                })()
              }
            >
              {t('qualWork.saveMemo')}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}

function NewCode({
  studyId,
  codes,
  onCreated,
}: {
  studyId: string;
  codes: readonly CodeView[];
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const empty: Fields = { name: '', parentId: '', definition: '', inclusion: '', exclusion: '', example: '' };
  const [value, setValue] = useState<Fields>(empty);
  const [error, setError] = useState<unknown>(null);
  return (
    <section aria-labelledby="new-code-heading" className="stack-sm">
      <Heading level={2} data-size="xs" id="new-code-heading">
        {t('qualCodebook.newCode')}
      </Heading>
      <CodeFields
        idPrefix="new"
        value={value}
        codes={codes}
        excluded={null}
        readOnly={false}
        onChange={setValue}
      />
      {error !== null && <ProblemMessage error={error} />}
      <div>
        <Button
          variant="secondary"
          disabled={!value.name.trim()}
          onClick={() =>
            void (async () => {
              setError(null);
              try {
                const created = await qualitativeApi.createCode(studyId, {
                  name: value.name.trim(),
                  parentId: value.parentId || null,
                  definition: value.definition,
                  inclusion: value.inclusion,
                  exclusion: value.exclusion,
                  example: value.example,
                });
                setValue(empty);
                onCreated(created.id);
              } catch (caught) {
                setError(caught);
              }
            })()
          }
        >
          {t('qualCodebook.add')}
        </Button>
      </div>
    </section>
  );
}
