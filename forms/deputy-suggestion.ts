// 代表委员建议: party-congress deputies, people's-congress deputies and CPPCC members give their suggestions (R9).
import type { FormDefinition } from '../src/forms/types.ts';

const deputySuggestion: FormDefinition = {
  id: 'deputy-suggestion',
  version: 1,
  title: '“两代表一委员”意见建议',
  intro: '欢迎党代表、人大代表、政协委员对平安建设和政法工作提出意见建议。区综治办将交有关部门办理并答复。',
  audience: 'public',
  submitLabel: '提交建议',
  thanks: '感谢您的意见建议！区综治办将交有关部门办理，请保存回执码以便查询。',
  fields: [
    {
      name: 'identity',
      type: 'choice',
      label: '您的身份',
      required: true,
      options: [
        { value: 'party-deputy', label: '党代表' },
        { value: 'npc-deputy', label: '人大代表' },
        { value: 'cppcc-member', label: '政协委员' },
      ],
      sheetColumn: '身份',
    },
    {
      name: 'name',
      type: 'text',
      label: '姓名',
      required: true,
      max: 20,
      personal: true,
      sheetColumn: false,
    },
    {
      name: 'delegation',
      type: 'text',
      label: '所在代表团或界别',
      required: true,
      max: 50,
      sheetColumn: '代表团/界别',
    },
    {
      name: 'subject',
      type: 'text',
      label: '建议题目',
      required: true,
      min: 2,
      max: 60,
      sheetColumn: '题目',
    },
    {
      name: 'suggestion',
      type: 'textarea',
      label: '建议内容',
      required: true,
      min: 10,
      max: 3000,
      sheetColumn: '建议内容',
    },
    {
      name: 'department',
      type: 'unit',
      label: '建议涉及的部门',
      help: '可不选，由区综治办确定承办部门',
      sheetColumn: '涉及部门',
    },
    {
      name: 'phone',
      type: 'phone',
      label: '联系电话',
      help: '用于答复您的建议，不会公开',
      required: true,
      personal: true,
      sheetColumn: false,
    },
  ],
};

export default deputySuggestion;
