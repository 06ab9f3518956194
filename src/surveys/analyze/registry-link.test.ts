import { describe, expect, it } from 'vitest';
import { FIXTURE_GP_QUESTIONNAIRE } from '../generate/fixture-questionnaire.js';
import { syntheticFrame } from '../generate/frame.js';
import { plantSurvey } from '../generate/plant.js';
import { parseLinkage } from './linkage-table.js';
import { linkSurveyToRegistry } from './registry-link.js';

// The linkage against a real twin is tested in recovery.test.ts; these are the refusals that
// come before any registry data is read.
const { dataset } = plantSurvey(syntheticFrame(50, 1), {
  seed: 1,
  surveyId: 'gp',
  questionnaire: FIXTURE_GP_QUESTIONNAIRE,
});
const linkage = {
  format: 'gpdep-survey-linkage/1' as const,
  surveyId: 'gp',
  entries: dataset.frame.map((m, i) => ({ frameId: m.frameId, registryGpId: `G${10001 + i}` })),
};

describe('linkSurveyToRegistry refuses', () => {
  it('a linkage table of another survey', async () => {
    await expect(
      linkSurveyToRegistry(dataset, { ...linkage, surveyId: 'other' }, { registryDir: '/nonexistent' })
    ).rejects.toThrow(/linkage table is for survey other, the dataset is gp/);
  });
  it('an item the questionnaire does not have', async () => {
    await expect(
      linkSurveyToRegistry(dataset, linkage, { registryDir: '/nonexistent', item: 'nope' })
    ).rejects.toThrow(/no item nope/);
  });
  it('a registry folder without the tables', async () => {
    await expect(linkSurveyToRegistry(dataset, linkage, { registryDir: '/nonexistent' })).rejects.toThrow(
      /Missing table persons/
    );
  });
});

describe('the linkage file', () => {
  it('is checked on reading', () => {
    expect(parseLinkage(linkage).entries).toHaveLength(50);
    expect(() => parseLinkage({ format: 'x' })).toThrow(/Not a survey linkage file/);
    expect(() => parseLinkage({ ...linkage, entries: [linkage.entries[0], linkage.entries[0]] })).toThrow(
      /appears twice/
    );
  });
});
