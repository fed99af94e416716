// 矛盾纠纷排查调处 (R6, R15): small matters stay in the village/community, big ones in the town.
import type { FormDefinition } from '../src/forms/types.ts';

const disputeMediation: FormDefinition = {
  id: 'dispute-mediation',
  version: 1,
  title: '矛盾纠纷排查调处登记',
  intro: '小事不出村（社区），大事不出镇街。每件纠纷登记一条；当事人姓名只供本单位和区综治办查看。',
  audience: 'unit',
  submitLabel: '登记纠纷',
  thanks: '纠纷已登记。',
  fields: [
    { name: 'date', type: 'date', label: '受理日期', required: true, min: 'campaign-start', max: 'campaign-end' },
    { name: 'place', type: 'place', label: '村（社区）' },
    { name: 'parties', type: 'text', label: '当事人', required: true, max: 100, personal: true, placeholder: '如：张某与李某' },
    { name: 'disputeType', type: 'choice', label: '纠纷类型', required: true, options: [
      { value: 'neighbour', label: '邻里纠纷' },
      { value: 'family', label: '婚姻家庭' },
      { value: 'land', label: '土地、山林、宅基地' },
      { value: 'labour', label: '劳资纠纷' },
      { value: 'property', label: '物业纠纷' },
      { value: 'traffic', label: '交通事故' },
      { value: 'contract', label: '合同、债务' },
      { value: 'other', label: '其他' },
    ] },
    { name: 'summary', type: 'textarea', label: '纠纷简要情况', required: true, max: 1000 },
    { name: 'level', type: 'choice', label: '调处层级', required: true, options: [
      { value: 'village', label: '村（社区）调处' },
      { value: 'town', label: '镇（街道）调处' },
    ] },
    { name: 'outcome', type: 'choice', label: '调处结果', required: true, options: [
      { value: 'resolved', label: '调解成功' },
      { value: 'partly', label: '部分达成' },
      { value: 'ongoing', label: '正在调处' },
      { value: 'failed', label: '调解未成' },
    ] },
    { name: 'referred', type: 'boolean', label: '已移交其他部门', required: true },
    { name: 'referredTo', type: 'text', label: '移交至', required: true, max: 60, showWhen: { field: 'referred', equals: ['yes'] }, placeholder: '如：区法院、区司法局' },
  ],
};

export default disputeMediation;
