/**
 * What went wrong, in the reader's language, with the server's own words for the field and the
 * reason when it named them (a corrupt .docx: "content: is not a Word document …"), so the
 * researcher knows which file or field to fix.
 */
import { Alert, Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client.js';
import { describeError } from '../../../components/errors.js';

export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  const detail = error instanceof ApiError && fields.length === 0 ? error.problem.detail : undefined;
  return (
    <Alert data-color="danger" role="alert">
      <Paragraph>{describeError(t, error)}</Paragraph>
      {detail && <Paragraph data-size="sm">{detail}</Paragraph>}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={`${f.field}:${f.reason}`}>
              <code>{f.field}</code>: {f.reason}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
