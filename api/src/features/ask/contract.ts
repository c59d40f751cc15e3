import { z } from 'zod';
import { envelope, isoDate } from '../../contract/common.js';

/** 问数: a question in plain Chinese, answered with exact figures, what was understood, and the proving page. */

export const AskFigure = z.strictObject({
  label: z.string(),
  kind: z.enum(['money', 'percent', 'points', 'count', 'text']),
  /** money: 元 as a decimal string; percent / points: 2 decimals; count: an integer string. */
  value: z.string().nullable(),
});
export type AskFigure = z.infer<typeof AskFigure>;

export const AskRow = z.strictObject({ name: z.string(), figures: z.array(AskFigure), link: z.string() });
export type AskRow = z.infer<typeof AskRow>;

export const AskAnswer = z.strictObject({
  question: z.string(),
  understood: z.boolean(),
  /** 理解为：漯河市教育局 2025年 1–9月 支出执行率 */
  interpretation: z.string().nullable(),
  /** The main answer, first figure first. */
  figures: z.array(AskFigure),
  /** Rankings, comparisons, lists: one row per subject. */
  rows: z.array(AskRow),
  /** The drill-down (or other) page that proves the answer. */
  link: z.string().nullable(),
  dataAsOf: isoDate.nullable(),
  /** When not understood: the words not known, and questions or pages that come close. */
  unknownWords: z.array(z.string()),
  suggestions: z.array(z.strictObject({ label: z.string(), link: z.string() })),
  tookMs: z.number(),
});
export type AskAnswer = z.infer<typeof AskAnswer>;

export const askResponses = {
  'GET /ask': envelope(AskAnswer),
};
