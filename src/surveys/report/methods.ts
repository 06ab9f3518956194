/**
 * The report's methods section in English and Norwegian bokmål (docs/surveys/methods.md has the
 * same with formulas and references).
 */
import type { Lang } from './i18n.js';

const EN = `
<h3>Who is analysed</h3>
<p>Complete responses of one wave. Partial responses are counted but not analysed. Respondents are compared with the sampling frame on every frame characteristic (percentage points: respondents' share minus the frame's).</p>
<h3>Weights</h3>
<p>Raking (iterative proportional fitting; Deming &amp; Stephan 1940; Kalton &amp; Flores-Cervantes 2003): each respondent's base weight is multiplied, margin by margin, so that the weighted respondents match the frame's counts in every category of every margin (by default sex × age group, health region, and specialist status), repeated until every margin is met to a relative tolerance of 10<sup>−10</sup>. A category the frame has but no respondent has stops the analysis, unless collapsing was asked for; then it is merged with its neighbouring category and the report says so. Weights are trimmed to 0.3-3.0 × the mean weight and re-raked, repeatedly (Potter 1990), so the margins still hold exactly. Kish's design effect of unequal weighting, 1 + CV², and the effective number of respondents, n / deff, show what weighting costs in precision.</p>
<h3>Shares and confidence intervals</h3>
<p>A weighted share is a ratio of weighted totals (those who gave the answer over those who answered). Its 95 % confidence interval is by Taylor linearisation (Woodruff 1971; Särndal, Swensson &amp; Wretman 1992; Lumley 2010), treating respondents as drawn with replacement, as R's survey package does for a design with weights only; it does not credit the raking, so it is somewhat conservative. Items shown only after a branching condition are estimated among the respondents who were shown them. The unweighted share is given beside it with Wilson's score interval. Cross-tables estimate each level of the column variable as a domain.</p>
<h3>Linkage to the registry</h3>
<p>The survey data carry a pseudonymous frame id only. A separate linkage table maps it to the registry's GP id; only the linkage step reads it, and what leaves that step are summaries by answer group. The registry analysis's own cohort and indicators are used unchanged (new depression episodes, care within 12 months). Indicator rates are shown by answer. The random-intercept logistic model (GPs as random intercepts, fitted by maximum likelihood with the Laplace approximation, validated against lme4) has the survey answer as a GP-level covariate and is adjusted for the patients' sex, age group and education and for the GP characteristics of the registry report. Counts from 1 to 4, and counts that would reveal them, are hidden.</p>
<h3>References</h3>
<p>Deming WE, Stephan FF (1940) Ann Math Stat 11:427-444. Deville J-C, Särndal C-E (1992) JASA 87:376-382. Kalton G, Flores-Cervantes I (2003) J Off Stat 19:81-97. Kish L (1965) Survey Sampling. Lumley T (2010) Complex Surveys: a guide to analysis using R. Potter FJ (1990) Proc. Section on Survey Research Methods, ASA. Särndal C-E, Swensson B, Wretman J (1992) Model Assisted Survey Sampling. Wilson EB (1927) JASA 22:209-212. Woodruff RS (1971) JASA 66:411-414.</p>
`;

const NB = `
<h3>Hvem som analyseres</h3>
<p>Fullførte svar fra én runde. Delvise svar telles, men analyseres ikke. Svarerne sammenlignes med utvalgsrammen på hvert kjennetegn i rammen (prosentpoeng: svarernes andel minus rammens).</p>
<h3>Vekter</h3>
<p>Raking (iterativ proporsjonal tilpasning; Deming &amp; Stephan 1940; Kalton &amp; Flores-Cervantes 2003): hver svarers grunnvekt multipliseres, marginal for marginal, slik at de vektede svarerne stemmer med rammens antall i hver kategori av hver marginal (som standard kjønn × aldersgruppe, helseregion og spesialiststatus), gjentatt til hver marginal er oppfylt med en relativ toleranse på 10<sup>−10</sup>. En kategori som rammen har, men ingen svarer har, stopper analysen, med mindre sammenslåing er bedt om; da slås den sammen med nabokategorien, og rapporten sier det. Vektene trimmes til 0,3-3,0 × gjennomsnittsvekten og rakes på nytt, gjentatt (Potter 1990), slik at marginalene fortsatt holder nøyaktig. Kish' designeffekt av ulike vekter, 1 + CV², og det effektive antallet svarere, n / deff, viser hva vektingen koster i presisjon.</p>
<h3>Andeler og konfidensintervaller</h3>
<p>En vektet andel er et forhold mellom vektede summer (de som ga svaret over de som svarte). Dens 95 % konfidensintervall er laget med Taylor-linearisering (Woodruff 1971; Särndal, Swensson &amp; Wretman 1992; Lumley 2010), med svarerne behandlet som trukket med tilbakelegging, slik R-pakken survey gjør for et design med bare vekter; det tar ikke hensyn til rakingen og er derfor noe konservativt. Spørsmål som bare vises etter en forgreningsbetingelse, estimeres blant svarerne som fikk dem. Den uvektede andelen står ved siden av, med Wilsons intervall. Krysstabeller estimerer hvert nivå av kolonnevariabelen som et domene.</p>
<h3>Kobling til registerdata</h3>
<p>Undersøkelsesdataene har bare en pseudonym rammeidentitet. En egen koblingstabell knytter den til registerets fastlege-id; bare koblingstrinnet leser den, og det som forlater trinnet, er oppsummeringer per svargruppe. Registeranalysens egen kohort og egne indikatorer brukes uendret (nye depresjonsepisoder, tiltak innen 12 måneder). Indikatorandeler vises per svar. Den logistiske modellen med tilfeldig konstantledd for fastlegen (sannsynlighetsmaksimering med Laplace-tilnærming, validert mot lme4) har svaret som forklaringsvariabel på fastlegenivå og er justert for pasientenes kjønn, aldersgruppe og utdanning og for fastlegekjennetegnene i registerrapporten. Antall fra 1 til 4, og antall som ville avsløre dem, er skjult.</p>
<h3>Referanser</h3>
<p>Deming WE, Stephan FF (1940) Ann Math Stat 11:427-444. Deville J-C, Särndal C-E (1992) JASA 87:376-382. Kalton G, Flores-Cervantes I (2003) J Off Stat 19:81-97. Kish L (1965) Survey Sampling. Lumley T (2010) Complex Surveys: a guide to analysis using R. Potter FJ (1990) Proc. Section on Survey Research Methods, ASA. Särndal C-E, Swensson B, Wretman J (1992) Model Assisted Survey Sampling. Wilson EB (1927) JASA 22:209-212. Woodruff RS (1971) JASA 66:411-414.</p>
`;

export function surveyMethodsHtml(lang: Lang): string {
  return lang === 'en' ? EN : NB;
}
