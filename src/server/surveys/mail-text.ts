/**
 * The words of a survey e-mail, in bokmål and English. An e-mail says only that there is a
 * research questionnaire to answer, and gives the personal link and the opt-out link: never the
 * survey's title, a question, an answer or anything else about health, since e-mail passes
 * through servers nobody here controls and may be read by someone else in the recipient's office.
 *
 * The links carry the token after `#`, so it never reaches a server log or a Referer header: the
 * page reads it in the browser and sends it in a request body.
 */

export type SurveyEmailKind = 'invitation' | 'reminder';

export interface SurveyEmail {
  subject: string;
  text: string;
}

/** Where the respondent answers and opts out (the web app's pages). */
export function surveyLinks(publicUrl: string, token: string): { answer: string; optOut: string } {
  const base = publicUrl.replace(/\/$/, '');
  return { answer: `${base}/undersokelse/svar#${token}`, optOut: `${base}/undersokelse/avmeld#${token}` };
}

export function surveyEmail(kind: SurveyEmailKind, links: { answer: string; optOut: string }): SurveyEmail {
  if (kind === 'invitation') {
    return {
      subject: 'Invitasjon til en spørreundersøkelse / Invitation to a questionnaire',
      text: [
        'Hei,',
        '',
        'Du er invitert til å svare på en spørreundersøkelse i et forskningsprosjekt. Det er frivillig å svare.',
        'Lenken under er personlig: den gjelder bare deg og kan brukes til du har sendt inn svarene.',
        'Du kan ta en pause og fortsette senere med samme lenke.',
        '',
        `Svar her: ${links.answer}`,
        '',
        `Vil du ikke ha flere e-poster om denne undersøkelsen? Meld deg av her: ${links.optOut}`,
        '',
        '---',
        '',
        'Hello,',
        '',
        'You are invited to answer a questionnaire in a research project. Taking part is voluntary.',
        'The link below is personal: it is for you only and works until you have sent your answers.',
        'You can take a break and continue later with the same link.',
        '',
        `Answer here: ${links.answer}`,
        '',
        `No more e-mails about this questionnaire? Opt out here: ${links.optOut}`,
      ].join('\n'),
    };
  }
  return {
    subject: 'Påminnelse: spørreundersøkelse / Reminder: questionnaire',
    text: [
      'Hei,',
      '',
      'Vi har ikke fått svarene dine på spørreundersøkelsen ennå. Det er frivillig å svare.',
      'Har du begynt, fortsetter du der du slapp.',
      '',
      `Svar her: ${links.answer}`,
      '',
      `Vil du ikke ha flere e-poster om denne undersøkelsen? Meld deg av her: ${links.optOut}`,
      '',
      '---',
      '',
      'Hello,',
      '',
      'We have not received your answers to the questionnaire yet. Taking part is voluntary.',
      'If you have started, you continue where you left off.',
      '',
      `Answer here: ${links.answer}`,
      '',
      `No more e-mails about this questionnaire? Opt out here: ${links.optOut}`,
    ].join('\n'),
  };
}
