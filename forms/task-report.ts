// 任务进度 (R15–R20): progress on the unit's own countable campaign tasks of forms/tasks.ts (G in the ranking).
import type { FormDefinition } from '../src/forms/types.ts';

const taskReport: FormDefinition = {
  id: 'task-report',
  version: 1,
  title: '活动任务进度填报',
  intro: '每完成一批任务填报一次本次完成的数量（不是累计数），系统自动累计并与目标对照。',
  audience: 'unit',
  submitLabel: '填报',
  thanks: '任务进度已填报。',
  fields: [
    { name: 'task', type: 'task', label: '任务', required: true, metric: 'task' },
    { name: 'quantity', type: 'integer', label: '本次完成数量', required: true, min: 1, max: 100000, metric: 'quantity' },
    { name: 'date', type: 'date', label: '完成日期', required: true, min: 'campaign-start', max: 'campaign-end' },
    {
      name: 'objectName',
      type: 'text',
      label: '对象名称',
      max: 60,
      help: '按对象计数的任务（如校园安全检查“每校一次”、网吧检查）请填写学校、网吧的全称；同一对象再次填报只计一次',
    },
    {
      name: 'officer',
      type: 'cadre',
      label: '完成的包村、社区干警',
      metric: 'cadre',
      help: '“三个一”（讲课、矛盾纠纷排查、组织义务巡逻）由派出所填报时，请选择完成的干警，计入其包抓村（社区）所在镇街',
    },
    { name: 'note', type: 'textarea', label: '说明', max: 500, placeholder: '如：完成地点、学校名称' },
  ],
};

export default taskReport;
