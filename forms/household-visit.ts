// 附件1「干部入户下访登记表」(R1, R2, R7): one row per household a cadre visits, the yardstick of 两率一度.
import type { FormDefinition } from '../src/forms/types.ts';
import { SATISFACTION_OPTIONS } from './options.ts';

const householdVisit: FormDefinition = {
  id: 'household-visit',
  version: 1,
  title: '干部入户下访登记表',
  intro: '每走访一户登记一条。户主姓名、住址和电话只供本单位和区综治办核实回访，不公开、不进入汇总表。',
  audience: 'unit',
  submitLabel: '保存这一户',
  thanks: '已登记。',
  fields: [
    { name: 'cadre', type: 'cadre', label: '走访干部', required: true, metric: 'cadre' },
    { name: 'visitDate', type: 'date', label: '走访日期', required: true, min: 'campaign-start', max: 'campaign-end' },
    { name: 'place', type: 'place', label: '村（社区）', required: true },
    { name: 'householdHead', type: 'text', label: '户主姓名', required: true, max: 30, personal: true },
    { name: 'address', type: 'text', label: '住址', required: true, max: 100, personal: true, placeholder: '如：3组15号、5号楼2单元301' },
    { name: 'phone', type: 'phone', label: '联系电话', personal: true },
    { name: 'almanac', type: 'boolean', label: '已送平安历书', required: true, help: '每户发放一本《平安历书》' },
    { name: 'aware', type: 'boolean', label: '知晓平安建设活动', required: true, metric: 'aware' },
    { name: 'participated', type: 'boolean', label: '参与过平安建设活动', required: true, metric: 'participated' },
    { name: 'satisfaction', type: 'choice', label: '对社会治安和政法工作的满意度', required: true, options: SATISFACTION_OPTIONS, metric: 'satisfaction' },
    { name: 'opinions', type: 'textarea', label: '群众反映的意见建议', max: 500 },
    { name: 'followUp', type: 'boolean', label: '需要跟进回访', help: '群众反映的问题需要本单位继续办理时选“是”' },
  ],
};

export default householdVisit;
