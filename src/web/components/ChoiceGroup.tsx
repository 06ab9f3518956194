/**
 * A radio group with a legend, for questionnaires and exercises: the legend is the question, each
 * answer a radio with its own visible label. The validation message is tied to the group. The
 * questionnaire renderer (questionnaire/QuestionnaireItem.tsx) draws every single-answer item with it.
 */
import { Fieldset, Radio, ValidationMessage } from '@digdir/designsystemet-react';
import type { ReactNode } from 'react';
import './ChoiceGroup.css';

export interface Choice {
  value: string;
  label: string;
  description?: string;
}

export function ChoiceGroup(props: {
  id: string;
  name: string;
  legend: ReactNode;
  description?: ReactNode;
  choices: readonly Choice[];
  value: string | null;
  /** The message shown when the group is invalid. */
  error?: string | null;
  onChange: (value: string) => void;
  className?: string;
  optionsClassName?: string;
  /** Under the answers, inside the group (an "other" text field). */
  children?: ReactNode;
  /** `data-*` attributes on the fieldset (the questionnaire renderer marks its items). */
  dataAttributes?: Readonly<Record<`data-${string}`, string>>;
}) {
  const errorId = `${props.id}-error`;
  const descriptionId = `${props.id}-description`;
  const describedBy = [props.description ? descriptionId : null, props.error ? errorId : null]
    .filter(Boolean)
    .join(' ');
  return (
    <Fieldset
      id={props.id}
      className={['answer-group', props.className].filter(Boolean).join(' ')}
      aria-describedby={describedBy || undefined}
      {...props.dataAttributes}
    >
      <Fieldset.Legend className="answer-group__legend">{props.legend}</Fieldset.Legend>
      {props.description && (
        <Fieldset.Description id={descriptionId}>{props.description}</Fieldset.Description>
      )}
      {props.error && <ValidationMessage id={errorId}>{props.error}</ValidationMessage>}
      <div className={['answer-group__options', props.optionsClassName].filter(Boolean).join(' ')}>
        {props.choices.map((choice) => (
          <Radio
            key={choice.value}
            name={props.name}
            value={choice.value}
            label={choice.label}
            description={choice.description}
            checked={props.value === choice.value}
            aria-invalid={props.error ? true : undefined}
            onChange={() => props.onChange(choice.value)}
          />
        ))}
      </div>
      {props.children}
    </Fieldset>
  );
}
