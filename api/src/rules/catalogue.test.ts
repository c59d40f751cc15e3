import { describe, expect, it } from 'vitest';
import { RULE_NAMES } from '../../../web/src/utils/rules-catalogue.js';
import { RULES } from './index.js';

// The web's rule catalogue (the alerts filter, labels) names every registered rule, by its
// engine name: a rule added to the engine and not to the catalogue could not be filtered on.
describe('web rule catalogue', () => {
  it('lists every rule of the engine and no other', () => {
    expect(Object.keys(RULE_NAMES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});
