/**
 * The language of a document the GP hands over (invitation letter, follow-up plan, note preview),
 * which can differ from the language of the GP's own screen. Each option is named in its own language.
 */
import { ToggleGroup } from '@digdir/designsystemet-react';
import type { Language } from '../../i18n/index.js';

export function DocumentLanguageToggle({
  value,
  onChange,
  label,
}: {
  value: Language;
  onChange: (language: Language) => void;
  label: string;
}) {
  return (
    <ToggleGroup
      data-size="sm"
      value={value}
      onChange={(next) => onChange(next === 'en' ? 'en' : 'nb')}
      aria-label={label}
    >
      <ToggleGroup.Item value="nb" lang="nb">
        Norsk
      </ToggleGroup.Item>
      <ToggleGroup.Item value="en" lang="en">
        English
      </ToggleGroup.Item>
    </ToggleGroup>
  );
}
