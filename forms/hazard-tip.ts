// 隐患举报: a resident reports a public-security hazard (R7, R8); it becomes a supervised hazard (R10–R13).
import type { FormDefinition } from '../src/forms/types.ts';
import { HAZARD_CATEGORY_OPTIONS } from './options.ts';

const hazardTip: FormDefinition = {
  id: 'hazard-tip',
  version: 1,
  title: '治安隐患举报',
  intro: '发现出租房屋、旅馆、网吧、学校周边、娱乐场所等地方的治安、消防、交通隐患，请告诉我们。默认匿名，区综治办将指定责任单位限期整改。',
  audience: 'public',
  submitLabel: '提交举报',
  thanks: '感谢您的举报！请保存下面的回执码，可随时查询处理进度。',
  fields: [
    {
      name: 'category',
      type: 'choice',
      label: '隐患类别',
      required: true,
      options: HAZARD_CATEGORY_OPTIONS,
      sheetColumn: '类别',
    },
    {
      name: 'place',
      type: 'text',
      label: '隐患地点',
      help: '尽量具体，如：××路××号出租屋、××小学门口',
      required: true,
      min: 2,
      max: 100,
      sheetColumn: '地点',
    },
    {
      name: 'description',
      type: 'textarea',
      label: '隐患情况',
      help: '看到了什么问题，例如消防通道被堵、监控损坏、学校旁开设网吧',
      required: true,
      min: 5,
      max: 1000,
      sheetColumn: '情况描述',
    },
    {
      name: 'noticedOn',
      type: 'date',
      label: '发现日期',
      min: '2014-01-01',
      max: 'today',
      sheetColumn: '发现日期',
    },
    {
      name: 'photo',
      type: 'photo',
      label: '现场照片',
      help: '可不传。支持 JPEG、PNG、WebP，不超过 8 MB；照片中的位置信息会被去除。',
      sheetColumn: false,
    },
    {
      name: 'contactName',
      type: 'text',
      label: '您的称呼',
      help: '可不填，不填即为匿名举报。个人信息单独保存，不会公开。',
      max: 20,
      personal: true,
      sheetColumn: false,
    },
    {
      name: 'contactPhone',
      type: 'phone',
      label: '联系电话',
      help: '可不填。留下电话，处理结果可以告知您。',
      personal: true,
      sheetColumn: false,
    },
    {
      // Read by src/notifications (SMS_CONSENT_FIELD): an SMS with the receipt code when assigned and when closed.
      name: 'smsUpdates',
      type: 'boolean',
      label: '短信告知处理结果',
      help: '需留下联系电话。短信只含回执码和处理状态。',
      sheetColumn: false,
    },
  ],
};

export default hazardTip;
