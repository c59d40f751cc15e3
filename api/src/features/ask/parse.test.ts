import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/index.js';
import { visibleRegionCodes } from '../../middleware/auth.js';
import { seedDrillData } from '../../testing/index.js';
import { buildLexicon, type Lexicon } from './lexicon.js';
import { cnNumber, parseQuestion, type DataDates } from './parse.js';
import { ADDED_AFTER, QUESTION_DATES, QUESTIONS } from './test-questions.js';

describe('问数 parser: the question set', () => {
  let db: TestDatabase;
  let lex: Lexicon;
  const dates: DataDates = QUESTION_DATES;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDrillData(db.knex);
    lex = await buildLexicon(db.knex, { regionCode: '411100', regionCodes: await visibleRegionCodes(db.knex, '411100') });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reads Chinese numbers', () => {
    expect(['3', '三', '十', '十一', '二十', '二十五', '两', '九'].map(cnNumber)).toEqual([3, 3, 10, 11, 20, 25, 2, 9]);
  });

  it('understands every question of the set as written down, and refuses the ones it should', () => {
    const all = [...QUESTIONS, ...ADDED_AFTER];
    expect(all.length).toBeGreaterThanOrEqual(150);
    const wrong: string[] = [];
    for (const [q, expected] of all) {
      const r = parseQuestion(q, lex, dates);
      const got = r.ok ? r.sentence : null;
      if (got !== expected) wrong.push(`${q} → ${got ?? `不理解（${r.ok ? '' : r.unknown.join('、')}）`}；应为 ${expected ?? '不理解'}`);
    }
    expect(wrong).toEqual([]);
  });

  it('names the words it did not know', () => {
    const r = parseQuestion('交通局支出', lex, dates);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.unknown).toEqual(['交通局']);
  });
});
