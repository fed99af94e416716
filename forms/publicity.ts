// 集中宣传 (R4, R17): slogans, banners, boards and culture walls put up, by location.
import type { FormDefinition } from '../src/forms/types.ts';
import campaign from './campaign.ts';

const publicity: FormDefinition = {
  id: 'publicity',
  version: 1,
  title: '平安建设宣传登记',
  intro: '按地点登记制作的墙体标语、横幅喷绘、宣传版面和文化墙。每个村民小组、居民小区2–3条；每个镇街不少于10处版面、横幅、喷绘或文化墙。',
  audience: 'unit',
  submitLabel: '登记',
  thanks: '宣传情况已登记。',
  fields: [
    { name: 'date', type: 'date', label: '制作日期', required: true, min: 'campaign-start', max: 'campaign-end' },
    { name: 'place', type: 'place', label: '村（社区）' },
    { name: 'location', type: 'text', label: '具体位置', required: true, max: 120, placeholder: '如：3组村委会墙面、主干道十字路口' },
    { name: 'locationKind', type: 'choice', label: '位置类型', options: [
      { value: 'villager-group', label: '村民小组' },
      { value: 'compound', label: '居民小区' },
      { value: 'school', label: '学校' },
      { value: 'medical', label: '医疗单位' },
      { value: 'internet-cafe', label: '网吧' },
      { value: 'shop', label: '门店' },
      { value: 'market', label: '集贸市场' },
      { value: 'crossing', label: '主干道路口' },
      { value: 'enterprise', label: '企业、单位' },
      { value: 'other', label: '其他' },
    ] },
    { name: 'wallSlogans', type: 'integer', label: '墙体标语（条）', min: 0, max: 1000 },
    { name: 'banners', type: 'integer', label: '横幅、喷绘（幅）', min: 0, max: 1000 },
    { name: 'boards', type: 'integer', label: '宣传版面（块）', min: 0, max: 1000 },
    { name: 'cultureWalls', type: 'integer', label: '文化墙（处）', min: 0, max: 1000 },
    { name: 'slogans', type: 'multichoice', label: '使用的标语', optionsFrom: 'slogans', options: campaign.slogans.map((s, i) => ({ value: `s${i + 1}`, label: s })) },
    { name: 'note', type: 'textarea', label: '备注', max: 500 },
  ],
};

export default publicity;
