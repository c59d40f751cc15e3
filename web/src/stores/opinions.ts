import { defineStore } from 'pinia';
import { opinionsApi, type DepartmentOpinions } from '@/api/opinions';
import { cachedResource } from './cache';

/** A department's 审议意见 (cached by region/department), adding one and answering one. */
export const useOpinionStore = defineStore('opinions', () => {
  const department = cachedResource<DepartmentOpinions>();
  const keyOf = (region: string, dept: string) => `${region}/${dept}`;

  function loadDepartment(region: string, dept: string, force = false) {
    return department.load(keyOf(region, dept), () => opinionsApi.department(region, dept), { force });
  }
  async function addToDepartment(region: string, dept: string, body: string) {
    await opinionsApi.addToDepartment(region, dept, body);
    await loadDepartment(region, dept, true);
  }
  async function answerForDepartment(region: string, dept: string, opinionId: string, text: string) {
    await opinionsApi.answer(opinionId, text);
    await loadDepartment(region, dept, true);
  }

  return { department, loadDepartment, addToDepartment, answerForDepartment };
});
