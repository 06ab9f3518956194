/**
 * The patient's own readable copy of everything the platform holds about them (GDPR articles 15
 * and 20: the FHIR Bundle is the machine-readable copy, this the one a person reads), rendered
 * from the same `Patient/$everything` Bundle so the two cannot differ. Bokmål or English; every
 * value escaped. An urgent case is listed with the crisis numbers, as everywhere risk is shown,
 * and is never graded.
 */
import type {
  Appointment,
  AuditEvent,
  Bundle,
  CarePlan,
  DocumentReference,
  FhirResource,
  Flag,
  Observation,
  Patient,
  Practitioner,
} from 'fhir/r4.js';
import { CONTACT_GP_SAME_DAY, CRISIS_RESOURCES } from '../safety/crisis-resources.js';

export type SummaryLocale = 'nb' | 'en';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WORDS = {
  nb: {
    title: 'Alt GP-DEP har lagret om deg',
    intro:
      'Dette er en lesbar kopi av opplysningene om deg i GP-DEP. Den samme kopien finnes som FHIR-fil (JSON) som andre systemer kan lese.',
    made: 'Laget',
    you: 'Om deg',
    name: 'Navn',
    id: 'Fødselsnummer',
    birth: 'Født',
    gp: 'Fastlege',
    plan: 'Behandlingsplan',
    status: 'Status',
    modules: 'Moduler',
    talks: 'Samtaler med fastlegen',
    when: 'Tidspunkt',
    what: 'Hva',
    scores: 'Svar og poengsum',
    measure: 'Skjema',
    score: 'Poengsum',
    notes: 'Notater fra samtalene',
    urgent: 'Hastesaker',
    urgentText:
      'Når du svarer over 0 på spørsmål 9 i PHQ-9, blir fastlegen bedt om å kontakte deg. Her står når det skjedde.',
    open: 'åpen',
    closed: 'lukket',
    log: 'Hvem har sett eller endret opplysningene dine',
    who: 'Hvem',
    none: 'Ingen.',
    crisis: 'Trenger du hjelp nå?',
  },
  en: {
    title: 'Everything GP-DEP holds about you',
    intro:
      'This is a readable copy of the information about you in GP-DEP. The same copy is available as a FHIR file (JSON) that other systems can read.',
    made: 'Made',
    you: 'About you',
    name: 'Name',
    id: 'National identity number',
    birth: 'Born',
    gp: 'GP',
    plan: 'Treatment plan',
    status: 'Status',
    modules: 'Modules',
    talks: 'Talks with your GP',
    when: 'When',
    what: 'What',
    scores: 'Answers and scores',
    measure: 'Questionnaire',
    score: 'Score',
    notes: 'Notes from the talks',
    urgent: 'Urgent cases',
    urgentText:
      'When you answer above 0 on question 9 of the PHQ-9, your GP is asked to contact you. This shows when that happened.',
    open: 'open',
    closed: 'closed',
    log: 'Who has seen or changed your information',
    who: 'Who',
    none: 'None.',
    crisis: 'Do you need help now?',
  },
} as const;

const MEASURE_NAMES: Record<string, string> = {
  '44261-6': 'PHQ-9',
  '70274-6': 'GAD-7',
  total: 'WSAS',
};

function when(iso: string | undefined, locale: SummaryLocale): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(locale === 'nb' ? 'nb-NO' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Europe/Oslo',
  });
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], none: string): string {
  if (rows.length === 0) return `<p>${escapeHtml(none)}</p>`;
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

export function everythingSummaryHtml(bundle: Bundle, locale: SummaryLocale, madeAt: Date): string {
  const w = WORDS[locale];
  const all = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is FhirResource => Boolean(r));
  const of = <T extends FhirResource>(type: T['resourceType']) =>
    all.filter((r) => r.resourceType === type) as T[];
  const patient = of<Patient>('Patient')[0];
  const gps = of<Practitioner>('Practitioner');
  const plans = of<CarePlan>('CarePlan');
  const talks = of<Appointment>('Appointment').sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
  // Totals only (item 9 is shown within the PHQ-9 row of the answer, not as a score of its own).
  const scores = of<Observation>('Observation')
    .filter((o) => o.id?.endsWith('-total'))
    .sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''));
  const notes = of<DocumentReference>('DocumentReference').sort((a, b) =>
    (a.date ?? '').localeCompare(b.date ?? '')
  );
  const flags = of<Flag>('Flag');
  const log = of<AuditEvent>('AuditEvent');

  const sections: string[] = [];
  sections.push(
    `<section><h2>${w.you}</h2><dl>` +
      `<dt>${w.name}</dt><dd>${escapeHtml(patient?.name?.[0]?.text ?? '–')}</dd>` +
      `<dt>${w.id}</dt><dd>${escapeHtml(patient?.identifier?.[0]?.value ?? '–')}</dd>` +
      `<dt>${w.birth}</dt><dd>${escapeHtml(patient?.birthDate ?? '–')}</dd>` +
      `<dt>${w.gp}</dt><dd>${escapeHtml(gps.map((g) => g.name?.[0]?.text ?? '').join(', ') || '–')}</dd>` +
      `</dl></section>`
  );
  sections.push(
    `<section><h2>${w.plan}</h2>` +
      (plans.length === 0
        ? `<p>${w.none}</p>`
        : plans
            .map(
              (p) =>
                `<p>${escapeHtml(p.title ?? '')}: ${escapeHtml(p.description ?? '')} ${w.status}: ${escapeHtml(p.status)}.</p>` +
                `<p>${w.modules}:</p><ul>${(p.activity ?? [])
                  .filter((a) => a.detail)
                  .map(
                    (a) =>
                      `<li>${escapeHtml(a.detail!.description ?? '')}: ${escapeHtml(a.detail!.status)}</li>`
                  )
                  .join('')}</ul>`
            )
            .join('')) +
      `</section>`
  );
  sections.push(
    `<section><h2>${w.talks}</h2>${table(
      [w.when, w.what, w.status],
      talks.map((a) => [when(a.start, locale), a.description ?? '', a.status]),
      w.none
    )}</section>`
  );
  sections.push(
    `<section><h2>${w.scores}</h2>${table(
      [w.when, w.measure, w.score],
      scores.map((o) => {
        const code = o.code.coding?.[0]?.code ?? '';
        return [
          when(o.effectiveDateTime, locale),
          MEASURE_NAMES[code] ?? code,
          String(o.valueQuantity?.value ?? '–'),
        ];
      }),
      w.none
    )}</section>`
  );
  sections.push(
    `<section><h2>${w.notes}</h2>` +
      (notes.length === 0
        ? `<p>${w.none}</p>`
        : notes
            .map((d) => {
              const data = d.content[0]?.attachment.data;
              const text = data
                ? new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)))
                : '';
              return `<h3>${escapeHtml(when(d.date, locale))}</h3><pre>${escapeHtml(text)}</pre>`;
            })
            .join('')) +
      `</section>`
  );
  const crisis =
    `<aside aria-labelledby="crisis"><h3 id="crisis">${w.crisis}</h3><ul>` +
    CRISIS_RESOURCES.map(
      (r) =>
        `<li><strong>${escapeHtml(r.display)}</strong> ${escapeHtml(r.name[locale])}: ${escapeHtml(r.when[locale])}</li>`
    ).join('') +
    `</ul><p>${escapeHtml(CONTACT_GP_SAME_DAY[locale])}</p></aside>`;
  sections.push(
    `<section><h2>${w.urgent}</h2>` +
      (flags.length === 0
        ? `<p>${w.none}</p>`
        : `<p>${escapeHtml(w.urgentText)}</p>${table(
            [w.when, w.status],
            flags.map((f) => [when(f.period?.start, locale), f.status === 'active' ? w.open : w.closed]),
            w.none
          )}${crisis}`) +
      `</section>`
  );
  sections.push(
    `<section><h2>${w.log}</h2>${table(
      [w.when, w.who, w.what],
      log.map((e) => [
        when(e.recorded, locale),
        e.agent[0]?.who?.display ?? '',
        e.entity?.[0]?.description ?? '',
      ]),
      w.none
    )}</section>`
  );
  return `<!doctype html>
<html lang="${locale === 'nb' ? 'nb' : 'en'}"><head><meta charset="utf-8"><title>${w.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}
pre{white-space:pre-wrap;font-family:inherit}aside{border:2px solid #8a1c1c;padding:.5rem 1rem;margin-top:1rem}</style>
</head><body><main><h1>${w.title}</h1><p>${escapeHtml(w.intro)}</p><p>${w.made}: ${escapeHtml(when(madeAt.toISOString(), locale))}</p>
${sections.join('\n')}
</main></body></html>`;
}
