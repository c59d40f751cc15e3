/**
 * Is a voucher's payee a natural person (自然人)? R19 大额个人支付 asks it of every large
 * payment. The vouchers carry no payee type, so the answer is read from the name and the
 * account, as RULES.md describes:
 *
 * 1. Organisation words: a name containing any of ORGANISATION_WORDS (公司, 局, 中心, 银行,
 *    合作社, 专户 …) is an organisation, whatever its length or account.
 * 2. Shape: a Chinese personal name is 2–4 CJK characters (one- or two-character surname plus
 *    one or two given characters); names of ethnic minorities written with a middle dot
 *    (买买提·艾力) are persons too, up to 12 characters.
 * 3. Account type: a UnionPay personal card (16–19 digits beginning 62) marks a person even
 *    when the name is longer (e.g. a name with a note). An organisation name paid into a card
 *    stays an organisation (rule 1): that is a 个体工商户's business, not a private person.
 *
 * A parenthesised note after the name (张伟（代领）, 王芳(退休)) is ignored, and spaces are.
 *
 * Known false positives (flagged as persons, are not):
 * - short shop and brand names without an organisation word: 京东, 滴滴, 顺丰速运, 老王烧烤;
 * - an organisation whose account is a UnionPay card and whose name has no organisation word;
 * - a corporate account number that happens to begin with 62 and have 16–19 digits.
 * Known false negatives (persons not flagged):
 * - a person whose given name contains an organisation character: 王建社, 李行, 张国会, 刘小村,
 *   周立部 — RULES.md's word list is kept because those characters in organisation names matter more;
 * - a person written with a title or a long note that is not in parentheses (张伟代领), unless
 *   the account is a personal card;
 * - Latin-script names (John Smith) and names longer than 4 CJK characters without a middle dot.
 * The SQL prefilter of R19 (PERSON_CANDIDATE_SQL) keeps every name this function could call a
 * person, so it only narrows what is read; this function decides.
 */

export const ORGANISATION_WORDS: readonly string[] = [
  '委员会', '公司', '集团', '银行', '信用社', '合作社', '专户', '财政', '国库', '政府', '街道', '办事处', '事务所',
  '医院', '学校', '学院', '大学', '中学', '小学', '幼儿园', '协会', '基金', '商行', '超市', '宾馆', '酒店', '饭店',
  '局', '委', '办', '中心', '院', '校', '所', '站', '厂', '社', '行', '部', '队', '会', '处', '馆', '村', '店',
  '厅', '室', '组', '团', '场', '园', '镇', '乡', '矿', '庭',
];

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
const PERSON_NAME = new RegExp(`^[${CJK}]{2,4}$`);
const DOTTED_NAME = new RegExp(`^(?=.{3,12}$)[${CJK}]+([·•・][${CJK}]+)+$`);
const PERSONAL_CARD = /^62\d{14,17}$/;
const NOTE = /[（(][^（）()]*[）)]/g;

export type PayeeKind = 'person' | 'organisation';

export interface PayeeVerdict {
  kind: PayeeKind;
  /** Why, in Chinese, for the alert's explanation. */
  reason: string;
}

export function classifyPayee(name: string, account: string | null | undefined): PayeeVerdict {
  const bare = name.replace(NOTE, '').replace(/\s+/g, '');
  const word = ORGANISATION_WORDS.find((w) => bare.includes(w));
  if (word) return { kind: 'organisation', reason: `名称含单位用字「${word}」` };
  if (PERSON_NAME.test(bare)) return { kind: 'person', reason: `名称为 ${bare.length} 个汉字且不含单位用字` };
  if (DOTTED_NAME.test(bare)) return { kind: 'person', reason: '名称为带间隔号的人名' };
  const acct = (account ?? '').replace(/\s+/g, '');
  if (PERSONAL_CARD.test(acct)) return { kind: 'person', reason: '收款账号为个人银行卡' };
  return { kind: 'organisation', reason: '名称不符合个人姓名形态' };
}

export const isNaturalPerson = (name: string, account?: string | null): boolean => classifyPayee(name, account).kind === 'person';

/**
 * SQL over payment_vouchers `v`: true for every payee classifyPayee could call a person, false
 * for most organisations (a name with an organisation word and no note, or a long name without
 * a personal card). Only a prefilter that keeps the rows read few: the function above decides.
 */
export const PERSON_CANDIDATE_SQL = `(v.payee_name ~ '[（(]'
  or (v.payee_name !~ '${ORGANISATION_WORDS.join('|')}'
      and (char_length(v.payee_name) <= 12 or coalesce(v.payee_account, '') ~ '^62[0-9]{14,17}$')))`;
