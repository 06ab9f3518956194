/**
 * A simple paced timer for the breathing exercise: breathe in for 4 seconds, out for 6, for 3 or
 * 5 minutes. The phase is shown in words and a count (the circle is only decoration), and the
 * phase changes are announced politely. Without motion when the user prefers reduced motion.
 */
import { Button, Heading, Paragraph } from '@digdir/designsystemet-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import './BreathingTimer.css';

const IN_SECONDS = 4;
const OUT_SECONDS = 6;
const CYCLE = IN_SECONDS + OUT_SECONDS;

export function phaseAt(elapsed: number): { phase: 'in' | 'out'; count: number } {
  const t = elapsed % CYCLE;
  return t < IN_SECONDS ? { phase: 'in', count: IN_SECONDS - t } : { phase: 'out', count: CYCLE - t };
}

export function BreathingTimer() {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState(3);
  const [elapsed, setElapsed] = useState(0);
  const [running, setRunning] = useState(false);
  const total = minutes * 60;
  const done = elapsed >= total;
  const active = running && !done;

  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setElapsed((previous) => Math.min(previous + 1, total)), 1000);
    return () => clearInterval(timer);
  }, [active, total]);

  const { phase, count } = phaseAt(elapsed);
  const remaining = total - elapsed;
  const mm = Math.floor(remaining / 60);
  const ss = String(remaining % 60).padStart(2, '0');

  return (
    <div className="breathing" data-testid="breathing-timer">
      <Heading level={4} data-size="2xs">
        {t('breathing.heading')}
      </Heading>
      <Paragraph data-size="sm">{t('breathing.intro', { in: IN_SECONDS, out: OUT_SECONDS })}</Paragraph>
      <div className="breathing__stage">
        <div className="breathing__circle" data-phase={active ? phase : 'rest'} aria-hidden="true" />
        <p className="breathing__cue" aria-hidden="true">
          {active ? (
            <>
              <span className="breathing__phase">
                {phase === 'in' ? t('breathing.in') : t('breathing.out')}
              </span>
              <span className="breathing__count">{count}</span>
            </>
          ) : done ? (
            <span className="breathing__phase">{t('breathing.done')}</span>
          ) : (
            <span className="breathing__phase">{t('breathing.ready')}</span>
          )}
        </p>
      </div>
      {/* Announce the phase (not every second) and the end. */}
      <p role="status" className="ds-sr-only">
        {active ? (phase === 'in' ? t('breathing.in') : t('breathing.out')) : done ? t('breathing.done') : ''}
      </p>
      <p className="breathing__time ds-paragraph" data-size="sm">
        {t('breathing.remaining', { time: `${mm}:${ss}` })}
      </p>
      <div className="breathing__controls">
        {active ? (
          <Button type="button" variant="secondary" data-size="sm" onClick={() => setRunning(false)}>
            {t('breathing.pause')}
          </Button>
        ) : (
          <Button
            type="button"
            data-size="sm"
            onClick={() => {
              if (done) setElapsed(0);
              setRunning(true);
            }}
          >
            {done ? t('breathing.again') : elapsed > 0 ? t('breathing.resume') : t('breathing.start')}
          </Button>
        )}
        <div role="group" aria-label={t('breathing.lengthLabel')} className="breathing__length">
          {[3, 5].map((value) => (
            <Button
              key={value}
              type="button"
              variant={minutes === value ? 'secondary' : 'tertiary'}
              data-size="sm"
              aria-pressed={minutes === value}
              disabled={active}
              onClick={() => {
                setMinutes(value);
                setElapsed(0);
                setRunning(false);
              }}
            >
              {t('breathing.minutes', { count: value })}
            </Button>
          ))}
        </div>
      </div>
    </div>
  );
}
