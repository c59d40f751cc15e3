import { describe, expect, it } from 'vitest';
import { classifyPayee, isNaturalPerson, ORGANISATION_WORDS } from './natural-person.js';

describe('isNaturalPerson (R19)', () => {
  it('takes 2–4 CJK characters without an organisation word for a person', () => {
    for (const name of ['王芳', '李建国', '欧阳明华', '张 伟', '王芳（代领）', '刘洋(退休)']) expect([name, isNaturalPerson(name)]).toEqual([name, true]);
    expect(classifyPayee('李建国', null)).toEqual({ kind: 'person', reason: '名称为 3 个汉字且不含单位用字' });
  });

  it('takes any name with an organisation word for an organisation, whatever its length or account', () => {
    for (const name of ['漯河市财政局', '民政局', '卫健委', '某某公司', '农商行', '中心', '党校', '派出所', '加油站', '河南某某商行', '村委会', '张庄村',
      '漯河市住房公积金管理中心', '中国工商银行漯河分行代发工资专户', '郾城区民政局低保资金专户']) {
      expect([name, isNaturalPerson(name, '6217001234567890123')]).toEqual([name, false]);
    }
    expect(classifyPayee('源汇区民政局', null)).toEqual({ kind: 'organisation', reason: '名称含单位用字「局」' });
    expect(ORGANISATION_WORDS).toEqual(expect.arrayContaining(['公司', '局', '委', '办', '中心', '院', '校', '所', '站', '厂', '社', '行', '部', '队', '会', '处', '馆', '村', '委员会']));
  });

  it('uses the account type: a personal UnionPay card marks a person whose name is longer', () => {
    expect(isNaturalPerson('王芳代领人李强', '6228480012345678901')).toBe(true);
    expect(isNaturalPerson('王芳代领人李强', '41050162001234567890')).toBe(false);
    expect(isNaturalPerson('王芳代领人李强', null)).toBe(false);
    expect(classifyPayee('王芳代领人李强', '6228 4800 1234 5678 901').reason).toBe('收款账号为个人银行卡');
  });

  it('takes names with a middle dot for persons, and one-character or Latin names for not', () => {
    expect(isNaturalPerson('买买提·艾力')).toBe(true);
    expect(isNaturalPerson('王')).toBe(false);
    expect(isNaturalPerson('John Smith')).toBe(false);
    expect(isNaturalPerson('司马欧阳明华')).toBe(false);
  });

  it('makes the false positives and negatives its doc comment lists', () => {
    // Short brand names without an organisation word: flagged as persons.
    for (const name of ['京东', '滴滴', '顺丰速运', '老王烧烤']) expect([name, isNaturalPerson(name)]).toEqual([name, true]);
    // Persons whose given name holds an organisation character: missed.
    for (const name of ['王建社', '李行', '张国会', '刘小村']) expect([name, isNaturalPerson(name)]).toEqual([name, false]);
  });
});
