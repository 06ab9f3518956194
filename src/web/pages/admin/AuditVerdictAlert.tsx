import { Alert, Heading, Paragraph } from '@digdir/designsystemet-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AuditVerification } from '../../api/client.js';
import { formatDateTime } from '../../format.js';
import type { Language } from '../../i18n/index.js';
import { useLanguage } from '../../i18n/useLanguage.js';
import { auditVerdict, verdictSeverity, type AuditVerdict, type CheckpointFailure } from './audit-verdict.js';

/** The whole verdict of an audit verification: chain, checkpoints, the server's words, what next. */
export function AuditVerdictAlert({ result }: { result: AuditVerification }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const verdict = auditVerdict(result);
  const severity = verdictSeverity(verdict);
  const lines = verdictLines(t, language, verdict);
  return (
    <Alert data-color={severity} data-testid="audit-result" data-verdict={verdict.kind}>
      <Heading level={3} data-size="xs">
        {lines.headline}
      </Heading>
      <Paragraph data-testid="audit-chain">{lines.chain}</Paragraph>
      <Paragraph data-testid="audit-checkpoints">{lines.checkpoints}</Paragraph>
      {result.problem && (
        <Paragraph data-size="sm" data-testid="audit-problem">
          <strong>{t('admin.auditVerdict.problemLabel')}</strong>{' '}
          {/* Hashes and line lists are long words: let them wrap on a phone. */}
          <span lang="en" style={{ overflowWrap: 'anywhere' }}>
            {result.problem}
          </span>
        </Paragraph>
      )}
      <Paragraph data-testid="audit-next-step">
        <strong>{t('admin.auditVerdict.nextLabel')}</strong> {lines.next}
      </Paragraph>
    </Alert>
  );
}

function verdictLines(
  t: TFunction,
  language: Language,
  verdict: AuditVerdict
): { headline: string; chain: string; checkpoints: string; next: string } {
  const count = verdict.events;
  const chainWhole = t('admin.auditVerdict.chainWhole', { count });
  const incident = t('admin.auditVerdict.nextIncident');
  switch (verdict.kind) {
    case 'intact':
      return {
        headline: t('admin.auditVerdict.headlineIntact'),
        chain: chainWhole,
        checkpoints: t('admin.auditVerdict.checkpointsOk', { count: verdict.checkpoints }),
        next: t('admin.auditVerdict.nextNothing'),
      };
    case 'noCheckpoints':
      return {
        headline: t('admin.auditVerdict.headlineNoCheckpoints'),
        chain: chainWhole,
        checkpoints: t('admin.auditVerdict.checkpointsNone'),
        next: t('admin.auditVerdict.nextCheckAnchors'),
      };
    case 'chainBroken':
      return {
        headline: t('admin.auditVerdict.headlineNotIntact'),
        chain:
          verdict.seq === null
            ? t('admin.auditVerdict.chainBrokenUnknown', { count })
            : t('admin.auditVerdict.chainBroken', { seq: verdict.seq, count }),
        checkpoints: t('admin.auditVerdict.checkpointsSkipped'),
        next: incident,
      };
    case 'checkpointFailed':
      return {
        headline: t('admin.auditVerdict.headlineNotIntact'),
        chain: chainWhole,
        checkpoints: failureLine(t, language, verdict.failure),
        next: incident,
      };
    case 'notIntact':
      return {
        headline: t('admin.auditVerdict.headlineNotIntact'),
        chain: t('admin.auditVerdict.chainUnknown', { count }),
        checkpoints: t('admin.auditVerdict.checkpointsUnknown', { count: verdict.checkpoints }),
        next: incident,
      };
  }
}

function failureLine(t: TFunction, language: Language, failure: CheckpointFailure): string {
  if (failure.kind === 'unreadable') return t('admin.auditVerdict.failUnreadable', { lines: failure.lines });
  const where = { line: failure.line, at: formatDateTime(failure.at, language) };
  switch (failure.kind) {
    case 'rowsMissing':
      return t('admin.auditVerdict.failRowsMissing', { ...where, seq: failure.seq, rows: failure.tableRows });
    case 'rewritten':
      return t('admin.auditVerdict.failRewritten', { ...where, seq: failure.seq });
    case 'outOfOrder':
      return t('admin.auditVerdict.failOutOfOrder', {
        ...where,
        seq: failure.seq,
        previousLine: failure.previousLine,
        previousSeq: failure.previousSeq,
      });
    case 'signature':
      return t('admin.auditVerdict.failSignature', where);
    case 'inconsistent':
      return t('admin.auditVerdict.failInconsistent', where);
  }
}
