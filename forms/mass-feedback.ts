// 群众意见（两率一度）: residents say whether they are satisfied, know the campaign and took part (DOMAIN.md, 两率一度).
import type { FormDefinition } from '../src/forms/types.ts';
import { SATISFACTION_OPTIONS } from './options.ts';

const massFeedback: FormDefinition = {
  id: 'mass-feedback',
  version: 1,
  title: '平安建设群众满意度调查',
  intro: '金台区正在开展平安建设集中宣传和治安隐患集中整治活动。请花一分钟回答几个问题，您的意见将直接送到区综治办。可以匿名填写。',
  audience: 'public',
  submitLabel: '提交意见',
  thanks: '感谢您参与平安金台建设！您的意见已送达区综治办。',
  fields: [
    {
      name: 'satisfaction',
      type: 'choice',
      label: '您对本地社会治安和政法工作满意吗？',
      required: true,
      options: SATISFACTION_OPTIONS,
      metric: 'satisfaction',
      sheetColumn: '满意度',
    },
    {
      name: 'aware',
      type: 'boolean',
      label: '您知道正在开展的平安建设活动吗？',
      required: true,
      metric: 'aware',
      sheetColumn: '知晓',
    },
    {
      name: 'participated',
      type: 'boolean',
      label: '您参加过平安建设活动吗？',
      help: '如宣传活动、红袖标巡逻、隐患排查、法律讲座等',
      required: true,
      metric: 'participated',
      sheetColumn: '参与',
    },
    {
      name: 'opinion',
      type: 'textarea',
      label: '您对平安建设和政法工作的意见和建议',
      max: 1000,
      sheetColumn: '意见建议',
    },
    {
      name: 'name',
      type: 'text',
      label: '您的姓名',
      help: '可不填。个人信息单独保存，不会公开。',
      max: 20,
      personal: true,
      sheetColumn: false,
    },
    {
      name: 'phone',
      type: 'phone',
      label: '联系电话',
      help: '可不填。留下电话，工作人员可能回访您。',
      personal: true,
      sheetColumn: false,
    },
  ],
};

export default massFeedback;
