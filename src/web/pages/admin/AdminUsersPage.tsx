/**
 * The admin's one page: user accounts (list, create, disable) and the audit-log check. An admin
 * manages accounts and never reads clinical data. One file (over 400 lines) because the three parts
 * share the page's loading, messages and focus handling; the audit verdict's wording is already
 * apart (AuditVerdictAlert.tsx, audit-verdict.ts), and the user form is the next part to move out.
 */
import {
  Alert,
  Button,
  Card,
  Field,
  Heading,
  Label,
  Paragraph,
  Select,
  Table,
  Tag,
  Textfield,
  ValidationMessage,
} from '@digdir/designsystemet-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  ApiError,
  type AdminUser,
  type AuditVerification,
  type Practice,
  type Role,
} from '../../api/client.js';
import { useUser } from '../../app/session.js';
import { describeError } from '../../components/errors.js';
import { LoadError } from '../../components/LoadError.js';
import { Loading } from '../../components/Loading.js';
import { PageHeading } from '../../components/PageHeading.js';
import { TableScroll } from '../../components/TableScroll.js';
import { formatDate } from '../../format.js';
import { useApiData } from '../../hooks/useApiData.js';
import { usePageTitle } from '../../hooks/usePageTitle.js';
import { isRole, roleLabel } from '../../i18n/labels.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { AuditVerdictAlert } from './AuditVerdictAlert.js';
import { JobsSection } from './JobsSection.js';
import './AdminUsersPage.css';

/** Patients get their accounts through their GP's invitation; the server refuses them here. */
const CREATABLE_ROLES: readonly Role[] = ['gp', 'guide', 'researcher', 'admin', 'user_group'];
const MIN_PASSWORD_LENGTH = 12;
const USERNAME_PATTERN = /^[a-zA-Z0-9._-]{3,64}$/;
const DISPLAY_NAME_MAX_LENGTH = 120;

type Message = { kind: 'success' | 'danger'; text: string };

export function AdminUsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('admin.title'));
  const users = useApiData((signal) => api.listUsers(signal), []);
  const practices = useApiData((signal) => api.listPractices(signal), []);
  const [message, setMessage] = useState<Message | null>(null);

  return (
    <div className="page stack-lg">
      <PageHeading>{t('admin.heading')}</PageHeading>

      <div aria-live="polite" className="live-region">
        {message && (
          <Alert data-color={message.kind} data-testid="admin-message">
            <Paragraph>{message.text}</Paragraph>
          </Alert>
        )}
      </div>

      <div className="admin-tools">
        <section aria-labelledby="create-heading" className="stack-sm">
          <Heading level={2} data-size="sm" id="create-heading">
            {t('admin.createHeading')}
          </Heading>
          <Card data-color="neutral">
            <CreateUserForm
              practices={practices.data?.items ?? []}
              onCreated={(user) => {
                setMessage({ kind: 'success', text: t('admin.created', { name: user.displayName }) });
                users.reload();
              }}
            />
          </Card>
        </section>

        <AuditSection />
      </div>

      <JobsSection />

      <section aria-labelledby="users-heading" className="stack-sm">
        <Heading level={2} data-size="sm" id="users-heading">
          {t('admin.usersHeading')}
        </Heading>
        {users.status === 'error' && <LoadError error={users.error} onRetry={users.reload} />}
        {users.data === null && users.status === 'loading' && <Loading />}
        {users.data && (
          <Paragraph data-size="sm" data-testid="patient-accounts-note">
            {t('admin.patientAccountsNote', { count: users.data.patientAccounts })}
          </Paragraph>
        )}
        {users.data && (
          <UsersTable
            users={users.data.items}
            onChanged={(text) => {
              setMessage({ kind: 'success', text });
              users.reload();
            }}
            onError={(text) => setMessage({ kind: 'danger', text })}
          />
        )}
      </section>
    </div>
  );
}

function UsersTable(props: {
  users: AdminUser[];
  onChanged: (message: string) => void;
  onError: (message: string) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const me = useUser();
  const [pending, setPending] = useState<string | null>(null);

  async function toggle(user: AdminUser) {
    setPending(user.id);
    try {
      const updated = user.disabled ? await api.enableUser(user.id) : await api.disableUser(user.id);
      const name = updated?.displayName ?? user.displayName;
      props.onChanged(user.disabled ? t('admin.userEnabled', { name }) : t('admin.userDisabled', { name }));
    } catch (error) {
      props.onError(describeError(t, error));
    } finally {
      setPending(null);
    }
  }

  return (
    <TableScroll label={t('admin.usersCaption')}>
      <Table zebra data-color="neutral" className="data-table" data-testid="admin-users-table">
        <caption>{t('admin.usersCaption')}</caption>
        <Table.Head>
          <Table.Row>
            <Table.HeaderCell scope="col">{t('admin.username')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('admin.displayName')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('admin.role')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('admin.practice')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('admin.status')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('admin.createdAt')}</Table.HeaderCell>
            <Table.HeaderCell scope="col">{t('admin.actions')}</Table.HeaderCell>
          </Table.Row>
        </Table.Head>
        <Table.Body>
          {props.users.map((user) => (
            <Table.Row key={user.id}>
              <Table.HeaderCell scope="row">{user.username}</Table.HeaderCell>
              <Table.Cell>{user.displayName}</Table.Cell>
              <Table.Cell>{roleLabel(t, user.role)}</Table.Cell>
              <Table.Cell>{user.practiceName ?? t('admin.noPractice')}</Table.Cell>
              <Table.Cell>
                <Tag data-color={user.disabled ? 'neutral' : 'success'} variant="outline">
                  {user.disabled ? t('admin.disabled') : t('admin.active')}
                </Tag>
              </Table.Cell>
              <Table.Cell className="nowrap">{formatDate(user.createdAt, language)}</Table.Cell>
              <Table.Cell>
                {user.id !== me.id && (
                  <Button
                    type="button"
                    variant="secondary"
                    data-size="sm"
                    data-color={user.disabled ? 'accent' : 'danger'}
                    loading={pending === user.id}
                    disabled={pending !== null}
                    onClick={() => void toggle(user)}
                  >
                    {user.disabled ? t('admin.enable') : t('admin.disable')}
                    <span className="ds-sr-only"> {t('admin.actionFor', { name: user.username })}</span>
                  </Button>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
    </TableScroll>
  );
}

type FormField = 'username' | 'displayName' | 'role' | 'practiceId' | 'password';

function CreateUserForm({
  practices,
  onCreated,
}: {
  practices: Practice[];
  onCreated: (user: AdminUser) => void;
}) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [practiceId, setPracticeId] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FormField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  // A GP and a guide (issue 17) belong to a practice.
  const needsPractice = role === 'gp' || role === 'guide';

  function validate(): Partial<Record<FormField, string>> {
    const found: Partial<Record<FormField, string>> = {};
    if (!username.trim()) found.username = t('admin.usernameRequired');
    else if (!USERNAME_PATTERN.test(username.trim())) found.username = t('admin.usernameInvalid');
    if (!displayName.trim()) found.displayName = t('admin.displayNameRequired');
    else if (displayName.trim().length > DISPLAY_NAME_MAX_LENGTH)
      found.displayName = t('admin.displayNameTooLong');
    if (!role) found.role = t('admin.roleRequired');
    if (needsPractice && !practiceId) found.practiceId = t('admin.practiceRequired');
    if (password.length < MIN_PASSWORD_LENGTH) found.password = t('admin.passwordTooShort');
    return found;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setFormError(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0 || !role) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setSubmitting(true);
    try {
      const user = await api.createUser({
        username: username.trim(),
        displayName: displayName.trim(),
        role,
        password,
        ...(needsPractice ? { practiceId } : {}),
      });
      setUsername('');
      setDisplayName('');
      setRole('');
      setPracticeId('');
      setPassword('');
      setErrors({});
      onCreated(user);
    } catch (error) {
      const serverErrors = fieldErrorsFrom(error);
      const taken = error instanceof ApiError && error.status === 409;
      if (taken) serverErrors.username = t('admin.usernameTaken');
      setErrors(serverErrors);
      setFormError(taken ? t('admin.usernameTaken') : describeError(t, error));
    } finally {
      setSubmitting(false);
    }
  }

  function fieldErrorsFrom(error: unknown): Partial<Record<FormField, string>> {
    if (!(error instanceof ApiError)) return {};
    const found: Partial<Record<FormField, string>> = {};
    for (const problem of error.fieldErrors) {
      const field = problem.field.replace(/^\/?(body\.)?/, '');
      if (field === 'username')
        found.username = error.status === 409 ? t('admin.usernameTaken') : t('admin.usernameInvalid');
      else if (field === 'displayName') found.displayName = t('admin.fieldInvalid');
      else if (field === 'role') found.role = t('admin.fieldInvalid');
      else if (field === 'practiceId') found.practiceId = t('admin.practiceRequired');
      else if (field === 'password')
        found.password =
          password.length < MIN_PASSWORD_LENGTH ? t('admin.passwordTooShort') : t('admin.passwordInvalid');
    }
    return found;
  }

  return (
    <form
      className="stack-md create-user-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="create-heading"
    >
      {formError && (
        <Alert data-color="danger" role="alert">
          <Paragraph>{formError}</Paragraph>
        </Alert>
      )}
      <Textfield
        label={t('admin.username')}
        description={t('admin.usernameHint')}
        name="username"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={username}
        error={errors.username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <Textfield
        label={t('admin.displayName')}
        name="displayName"
        autoComplete="off"
        required
        value={displayName}
        error={errors.displayName}
        onChange={(event) => setDisplayName(event.target.value)}
      />
      <Field>
        <Label>{t('admin.role')}</Label>
        <Select
          name="role"
          required
          value={role}
          aria-invalid={errors.role ? true : undefined}
          onChange={(event) => {
            const value = event.target.value;
            setRole(isRole(value) ? value : '');
          }}
        >
          <Select.Option value="" disabled>
            {t('admin.rolePlaceholder')}
          </Select.Option>
          {CREATABLE_ROLES.map((value) => (
            <Select.Option key={value} value={value}>
              {roleLabel(t, value)}
            </Select.Option>
          ))}
        </Select>
        {errors.role && <ValidationMessage>{errors.role}</ValidationMessage>}
      </Field>
      {needsPractice && (
        <Field>
          <Label>{t('admin.practice')}</Label>
          <Select
            name="practiceId"
            required
            value={practiceId}
            aria-invalid={errors.practiceId ? true : undefined}
            onChange={(event) => setPracticeId(event.target.value)}
          >
            <Select.Option value="" disabled>
              {t('admin.practicePlaceholder')}
            </Select.Option>
            {practices.map((practice) => (
              <Select.Option key={practice.id} value={practice.id}>
                {practice.name}
              </Select.Option>
            ))}
          </Select>
          {errors.practiceId && <ValidationMessage>{errors.practiceId}</ValidationMessage>}
        </Field>
      )}
      <Textfield
        label={t('admin.password')}
        description={t('admin.passwordHint')}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        value={password}
        error={errors.password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <div>
        <Button type="submit" data-color="accent" loading={submitting}>
          {submitting ? t('admin.creating') : t('admin.create')}
        </Button>
      </div>
    </form>
  );
}

function focusFirstInvalid(form: HTMLFormElement) {
  // After React has rendered the messages.
  requestAnimationFrame(() => {
    form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });
}

function AuditSection() {
  const { t } = useTranslation();
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'running' }
    | { kind: 'done'; result: AuditVerification }
    | { kind: 'error'; message: string }
  >({ kind: 'idle' });

  async function verify() {
    setState({ kind: 'running' });
    try {
      setState({ kind: 'done', result: await api.verifyAudit() });
    } catch (error) {
      setState({ kind: 'error', message: describeError(t, error) });
    }
  }

  return (
    <section aria-labelledby="audit-heading" className="stack-sm">
      <Heading level={2} data-size="sm" id="audit-heading">
        {t('admin.auditHeading')}
      </Heading>
      <Paragraph>{t('admin.auditIntro')}</Paragraph>
      <div>
        <Button
          type="button"
          variant="secondary"
          loading={state.kind === 'running'}
          onClick={() => void verify()}
        >
          {state.kind === 'running' ? t('admin.verifying') : t('admin.verify')}
        </Button>
      </div>
      <div aria-live="polite" className="live-region">
        {state.kind === 'done' && <AuditVerdictAlert result={state.result} />}
        {state.kind === 'error' && (
          <Alert data-color="danger">
            <Paragraph>{state.message}</Paragraph>
          </Alert>
        )}
      </div>
    </section>
  );
}
