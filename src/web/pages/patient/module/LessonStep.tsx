/** One lesson page: its blocks as plain text — paragraphs, example people, lists and callouts. */
import { Paragraph } from '@digdir/designsystemet-react';
import { useTranslation } from 'react-i18next';
import type { Lesson, LessonBlock } from '../../../../domain/program/content-schema.js';
import './module.css';

export function LessonBody({ lesson }: { lesson: Lesson }) {
  return (
    <div className="lesson stack-md">
      {lesson.blocks.map((block, index) => (
        <Block key={index} block={block} />
      ))}
    </div>
  );
}

function Block({ block }: { block: LessonBlock }) {
  const { t } = useTranslation();
  switch (block.type) {
    case 'paragraph':
      return <Paragraph className="lesson__paragraph">{block.text}</Paragraph>;
    case 'example': {
      const initial = block.person.trim().charAt(0).toUpperCase();
      return (
        <figure className="example-card">
          <figcaption className="example-card__person">
            <span className="example-card__avatar" aria-hidden="true">
              {initial}
            </span>
            <span>
              <span className="example-card__label">{t('lesson.example')}</span>
              <span className="example-card__name">{block.person}</span>
            </span>
          </figcaption>
          <Paragraph className="example-card__text">{block.text}</Paragraph>
        </figure>
      );
    }
    case 'list':
      return (
        <ul className="lesson__list">
          {block.items.map((item, index) => (
            <li key={index}>{item}</li>
          ))}
        </ul>
      );
    case 'callout':
      return (
        <div className={`callout callout--${block.tone}`}>
          <span className="callout__icon" aria-hidden="true">
            {block.tone === 'tip' ? '★' : 'i'}
          </span>
          <Paragraph>
            <strong className="callout__label">
              {block.tone === 'tip' ? t('lesson.tip') : t('lesson.info')}
            </strong>{' '}
            {block.text}
          </Paragraph>
        </div>
      );
  }
}
