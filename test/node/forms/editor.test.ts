// The office's editor page: the page's fields become a definition (order, new question, hidden option),
// a preview shows the form as residents will, a refusal comes back beside the question, and publishing
// makes the next version with its note in the history.
import { describe, expect, it } from 'vitest';
import { formById, TEMPLATE_FORMS } from '../../../src/forms/store.ts';
import { definitionToValues, textToOptions, valuesToDefinition } from '../../../src/forms/editor.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const massFeedback = TEMPLATE_FORMS.find((f) => f.id === 'mass-feedback')!;

/** The page as the office submits it: every question as shown, plus the blank new-question row filled in. */
function withNewQuestion(extra: Record<string, string> = {}) {
  return {
    ...definitionToValues(massFeedback),
    'fields[6].label': '您家安装烟感报警器了吗？',
    'fields[6].name': 'smokeAlarm',
    'fields[6].type': 'choice',
    'fields[6].order': '3.5',
    'fields[6].options': 'yes|已安装\nno|没有',
    version: '1',
    note: '增加烟感报警器',
    ...extra,
  };
}

describe('the editor page', () => {
  it('turns the page back into the same definition when nothing was changed', () => {
    expect(valuesToDefinition(massFeedback, definitionToValues(massFeedback)).definition).toEqual(JSON.parse(JSON.stringify(massFeedback)));
  });

  it('reads options a line each, "-" marking a hidden one', () => {
    expect(textToOptions('yes|已安装\n\n-no | 没有\n')).toEqual([{ value: 'yes', label: '已安装' }, { value: 'no', label: '没有', hidden: true }]);
  });

  it('places a new question by its order and keeps what the page does not show', () => {
    const { definition } = valuesToDefinition(massFeedback, withNewQuestion());
    expect(definition.fields.map((f) => f.name)).toEqual(['satisfaction', 'aware', 'participated', 'smokeAlarm', 'opinion', 'name', 'phone']);
    expect(definition.fields[0]).toMatchObject({ metric: 'satisfaction', sheetColumn: '满意度' });
    expect(definition.fields.find((f) => f.name === 'name')).toMatchObject({ personal: true, max: 20 });
  });

  it('previews, refuses beside the question, and publishes with the note', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const list = await (await office.page('/admin/forms')).text();
    expect(list).toContain('平安建设群众满意度调查');

    const preview = await office.post('/admin/forms/mass-feedback', { ...withNewQuestion(), action: 'preview' });
    expect(preview.status).toBe(200);
    const previewHtml = await preview.text();
    expect(previewHtml).toMatch(/<section class="preview"[\s\S]*您家安装烟感报警器了吗？[\s\S]*已安装/);
    expect((await formById(t.db, 'mass-feedback'))!.version).toBe(1);

    const bad = await office.post('/admin/forms/mass-feedback', { ...withNewQuestion({ 'fields[6].options': '' }), action: 'publish' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('smokeAlarm：请至少给出一个选项');

    const published = await office.post('/admin/forms/mass-feedback', { ...withNewQuestion(), action: 'publish' });
    expect(published.status).toBe(303);
    expect(published.headers.get('location')).toBe('/admin/forms/mass-feedback?published=1');
    expect((await formById(t.db, 'mass-feedback'))!.version).toBe(2);
    const history = await (await office.page('/admin/forms/mass-feedback/versions')).text();
    expect(history).toContain('增加烟感报警器');
    expect(history).toContain('新增问题“您家安装烟感报警器了吗？”（单选，第 4 题）');
  });

  it('is the office\'s alone', async () => {
    const t = await makeTestApp();
    const town = await signIn(t, 'chencang');
    expect((await town.page('/admin/forms/mass-feedback')).status).toBe(403);
    expect((await town.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: massFeedback } })).status).toBe(403);
  });
});
