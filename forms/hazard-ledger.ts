// 治安隐患台账 (R7, R8, R10–R12): each row a hazard found door to door, fixed on the spot or given a plan and deadline.
// Each stored row becomes a hazard record for supervision (src/hazards/from-submission.ts reads these names).
import type { FieldOption, FormDefinition } from '../src/forms/types.ts';
import { HAZARD_CATEGORY_OPTIONS } from './options.ts';
import organisation from './organisation.ts';

const DEPARTMENT_OPTIONS: readonly FieldOption[] = organisation.units
  .filter((u) => u.kind === 'department')
  .map((u) => ({ value: u.code, label: u.name }));

const hazardLedger: FormDefinition = {
  id: 'hazard-ledger',
  version: 1,
  title: '治安隐患排查台账',
  intro: '“送平安历书、查治安隐患”中发现的每一处隐患登记一行：能现场解决的现场解决，不能的写明整改方案和期限，需要多部门的写明配合部门。镇街台账11月15日前报区综治办和公安分局。',
  audience: 'unit',
  submitLabel: '登记隐患',
  thanks: '已登记入台账，并进入隐患督办。',
  fields: [
    { name: 'category', type: 'choice', label: '场所类型', required: true, options: HAZARD_CATEGORY_OPTIONS, help: 'R8 重点场所，或消防、交通等其他隐患' },
    { name: 'village', type: 'place', label: '所在村（社区）' },
    { name: 'address', type: 'text', label: '具体地点', required: true, max: 120, placeholder: '如：某村3组出租屋、某小区东门' },
    { name: 'description', type: 'textarea', label: '隐患情况', required: true, max: 1000 },
    { name: 'defences', type: 'multichoice', label: '涉及的防范措施', options: [
      { value: 'manpower', label: '人防' },
      { value: 'physical', label: '物防' },
      { value: 'technical', label: '技防（监控等）' },
      { value: 'fire', label: '消防' },
    ] },
    { name: 'foundBy', type: 'text', label: '排查人', required: true, max: 60 },
    { name: 'foundOn', type: 'date', label: '发现日期', required: true, min: 'campaign-start', max: 'campaign-end' },
    { name: 'handling', type: 'choice', label: '整改方式', required: true, options: [
      { value: 'on-spot', label: '已现场解决（R10）' },
      { value: 'deadline', label: '限期整改（R11）' },
    ] },
    { name: 'fixNote', type: 'textarea', label: '现场整改情况', max: 500, showWhen: { field: 'handling', equals: ['on-spot'] } },
    { name: 'plan', type: 'textarea', label: '整改方案', required: true, max: 1000, showWhen: { field: 'handling', equals: ['deadline'] } },
    { name: 'deadline', type: 'date', label: '整改期限', required: true, min: 'campaign-start', showWhen: { field: 'handling', equals: ['deadline'] } },
    { name: 'otherDepartments', type: 'multichoice', label: '需要配合的部门（R12）', options: DEPARTMENT_OPTIONS, help: '需要多个部门共同整改时选择；本单位牵头协调并向区综治办报告', showWhen: { field: 'handling', equals: ['deadline'] } },
  ],
};

export default hazardLedger;
