/**
 * The words of an urgent-case notification. They say that something needs looking at, by when,
 * and where to log in: never who the patient is or what they answered (an e-mail or SMS leaves
 * the platform's protection). Norwegian, since they go to Norwegian practices.
 */
export type UrgentNoticePurpose = 'urgent_new' | 'urgent_escalation';
export type UrgentRecipientKind = 'gp' | 'cover' | 'practice_gp' | 'practice_address';
/** Everything the outbox sends: urgent notices, and a test a practice asks for from its settings. */
export type NotificationPurpose = UrgentNoticePurpose | 'test';

export function urgentNotice(
  purpose: NotificationPurpose,
  recipient: UrgentRecipientKind,
  loginUrl: string
): { subject: string; text: string } {
  if (purpose === 'test') {
    // About nobody and nothing: only that the address works.
    return {
      subject: 'Testmelding fra GP-DEP',
      text: `Dette er en testmelding fra GP-DEP. Den ble sendt fra innstillingene for varsel om hastesaker, for å sjekke at e-post kommer fram til denne adressen. Du trenger ikke gjøre noe. Logg inn her: ${loginUrl}`,
    };
  }
  if (purpose === 'urgent_new') {
    const who =
      recipient === 'practice_address'
        ? 'En pasient hos en av legene på kontoret'
        : recipient === 'cover'
          ? 'En pasient hos kollegaen du dekker for'
          : 'En pasient på listen din';
    return {
      subject: 'Du har en hastesak i GP-DEP',
      text: `${who} har svart noe i GP-DEP som bør følges opp i dag. Logg inn for å se saken: ${loginUrl}\n\nAv personvernhensyn står det ikke hvem det gjelder i denne meldingen.`,
    };
  }
  return {
    subject: 'Hastesak i GP-DEP ikke fulgt opp innen fristen',
    text: `En hastesak i GP-DEP er ikke registrert som fulgt opp innen kontorets frist, og sendes derfor videre til deg. Logg inn for å se saken: ${loginUrl}\n\nAv personvernhensyn står det ikke hvem det gjelder i denne meldingen.`,
  };
}
