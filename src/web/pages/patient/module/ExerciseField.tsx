/**
 * One input of an exercise, generated from the content: text, textarea, a scale (radio buttons
 * for up to eleven steps, otherwise a slider, both with the end labels visible), a single choice
 * (radio buttons) or a multiple choice (checkboxes). Every input has a visible label; help text
 * and errors are tied to it.
 */
import { Checkbox, Fieldset, Radio, Textfield, ValidationMessage } from '@digdir/designsystemet-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExerciseField as FieldSpec } from '../../../../domain/program/content-schema.js';
import type { AnswerValue } from '../../../api/client.js';
import './ExerciseField.css';

/** Largest scale shown as radio buttons (0-10); wider ones (0-100) get a slider. */
const MAX_RADIO_STEPS = 11;

export function ExerciseField({
  field,
  name,
  value,
  error,
  onChange,
}: {
  field: FieldSpec;
  /** Unique per entry, so radio groups of different entries do not share a name. */
  name: string;
  value: AnswerValue | undefined;
  error: string | null;
  onChange: (value: AnswerValue, options?: { immediate?: boolean }) => void;
}) {
  switch (field.type) {
    case 'text':
    case 'textarea': {
      const text = typeof value === 'string' ? value : '';
      const common = {
        label: field.label,
        description: field.help,
        name,
        value: text,
        error: error ?? undefined,
        maxLength: field.maxLength,
        'data-field': field.id,
      };
      return field.type === 'textarea' ? (
        <Textfield {...common} multiline rows={4} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <Textfield {...common} onChange={(event) => onChange(event.target.value)} />
      );
    }
    case 'scale':
      return field.max - field.min + 1 <= MAX_RADIO_STEPS ? (
        <RadioScale field={field} name={name} value={value} error={error} onChange={onChange} />
      ) : (
        <SliderScale field={field} name={name} value={value} error={error} onChange={onChange} />
      );
    case 'choice':
      return (
        <Fieldset
          className="exercise-choice"
          data-field={field.id}
          aria-describedby={error ? `${name}-error` : undefined}
        >
          <Fieldset.Legend>{field.label}</Fieldset.Legend>
          {field.help && <Fieldset.Description>{field.help}</Fieldset.Description>}
          {error && <ValidationMessage id={`${name}-error`}>{error}</ValidationMessage>}
          <div className="exercise-choice__options">
            {field.options.map((option) => (
              <Radio
                key={option.id}
                name={name}
                value={option.id}
                label={option.label}
                checked={value === option.id}
                onChange={() => onChange(option.id, { immediate: true })}
              />
            ))}
          </div>
        </Fieldset>
      );
    case 'multi-choice': {
      const selected = Array.isArray(value) ? value : [];
      return (
        <Fieldset
          className="exercise-choice"
          data-field={field.id}
          aria-describedby={error ? `${name}-error` : undefined}
        >
          <Fieldset.Legend>{field.label}</Fieldset.Legend>
          {field.help && <Fieldset.Description>{field.help}</Fieldset.Description>}
          {error && <ValidationMessage id={`${name}-error`}>{error}</ValidationMessage>}
          <div className="exercise-choice__options">
            {field.options.map((option) => (
              <Checkbox
                key={option.id}
                name={name}
                value={option.id}
                label={option.label}
                checked={selected.includes(option.id)}
                onChange={(event) => {
                  const next = event.target.checked
                    ? field.options.map((o) => o.id).filter((id) => id === option.id || selected.includes(id))
                    : selected.filter((id) => id !== option.id);
                  onChange(next, { immediate: true });
                }}
              />
            ))}
          </div>
        </Fieldset>
      );
    }
  }
}

type ScaleSpec = Extract<FieldSpec, { type: 'scale' }>;

interface ScaleProps {
  field: ScaleSpec;
  name: string;
  value: AnswerValue | undefined;
  error: string | null;
  onChange: (value: AnswerValue, options?: { immediate?: boolean }) => void;
}

function RadioScale({ field, name, value, error, onChange }: ScaleProps) {
  const { t } = useTranslation();
  const endsId = useId();
  const steps = Array.from({ length: field.max - field.min + 1 }, (_, i) => field.min + i);
  const describedBy = [endsId, error ? `${name}-error` : null].filter(Boolean).join(' ');
  return (
    <Fieldset className="scale" data-field={field.id} aria-describedby={describedBy}>
      <Fieldset.Legend>{field.label}</Fieldset.Legend>
      {field.help && <Fieldset.Description>{field.help}</Fieldset.Description>}
      {error && <ValidationMessage id={`${name}-error`}>{error}</ValidationMessage>}
      <p id={endsId} className="ds-sr-only">
        {t('exercise.scaleEnds', {
          min: field.min,
          minLabel: field.minLabel,
          max: field.max,
          maxLabel: field.maxLabel,
        })}
      </p>
      <div className="scale__row">
        {steps.map((step) => (
          <label key={step} className="scale__option">
            <input
              type="radio"
              className="ds-input"
              name={name}
              value={String(step)}
              checked={value === step}
              onChange={() => onChange(step, { immediate: true })}
            />
            <span className="scale__number">{step}</span>
          </label>
        ))}
      </div>
      <div className="scale__ends" aria-hidden="true">
        <span>
          <strong>{field.min}</strong> {field.minLabel}
        </span>
        <span>
          <strong>{field.max}</strong> {field.maxLabel}
        </span>
      </div>
    </Fieldset>
  );
}

function SliderScale({ field, name, value, error, onChange }: ScaleProps) {
  const { t } = useTranslation();
  const id = useId();
  const helpId = `${id}-help`;
  const endsId = `${id}-ends`;
  const outputId = `${id}-output`;
  const current = typeof value === 'number' ? value : null;
  const describedBy = [field.help ? helpId : null, endsId, error ? `${name}-error` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="scale scale--slider" data-field={field.id}>
      <label htmlFor={id} className="ds-label scale__label">
        {field.label}
      </label>
      {field.help && (
        <p id={helpId} className="ds-paragraph scale__help" data-size="sm">
          {field.help}
        </p>
      )}
      {error && <ValidationMessage id={`${name}-error`}>{error}</ValidationMessage>}
      <div className="scale__slider-row">
        <input
          id={id}
          type="range"
          className="scale__slider"
          name={name}
          min={field.min}
          max={field.max}
          step={1}
          value={current ?? Math.round((field.min + field.max) / 2)}
          data-unset={current === null || undefined}
          aria-describedby={describedBy}
          aria-valuetext={current === null ? t('exercise.sliderUnset') : String(current)}
          onChange={(event) => onChange(Number(event.target.value))}
        />
        <output htmlFor={id} id={outputId} className="scale__output" aria-hidden="true">
          {current ?? '–'}
        </output>
      </div>
      <div className="scale__ends" id={endsId}>
        <span>
          <strong>{field.min}</strong> {field.minLabel}
        </span>
        <span>
          <strong>{field.max}</strong> {field.maxLabel}
        </span>
      </div>
      {current === null && (
        <p className="ds-paragraph scale__hint" data-size="sm">
          {t('exercise.sliderHint')}
        </p>
      )}
    </div>
  );
}
