// 红袖标义务巡逻队 (R5, R15): one row per village/community team; size is checked against R5 (7–10 under 1,000 people, 10–15 otherwise).
import type { FormDefinition } from '../src/forms/types.ts';

const patrolTeam: FormDefinition = {
  id: 'patrol-team',
  version: 1,
  title: '红袖标义务巡逻队登记',
  intro: '每个村、社区登记一支巡逻队。1000人以下的村、社区 7–10 人，1000人以上 10–15 人；人数不符的会被标出。',
  audience: 'unit',
  submitLabel: '登记巡逻队',
  thanks: '巡逻队已登记。',
  fields: [
    { name: 'place', type: 'place', label: '村（社区）', required: true },
    { name: 'teamName', type: 'text', label: '队伍名称', max: 60, placeholder: '如：某村红袖标巡逻队' },
    { name: 'members', type: 'integer', label: '队员人数', required: true, min: 1, max: 200 },
    { name: 'leaderName', type: 'text', label: '队长姓名', required: true, max: 30, personal: true },
    { name: 'leaderPhone', type: 'phone', label: '队长电话', personal: true },
    { name: 'schedule', type: 'textarea', label: '巡逻时间安排', required: true, max: 500, help: '重点时段：如每晚19:00–22:00，节假日加密' },
    { name: 'route', type: 'textarea', label: '巡逻重点路段和区域', max: 500 },
    { name: 'armbands', type: 'boolean', label: '已配发红袖标', required: true },
  ],
};

export default patrolTeam;
