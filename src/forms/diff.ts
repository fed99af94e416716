// Two versions of a form compared in words, for the office's history page: which questions were added,
// removed, moved or reworded, and which options were added, renamed, hidden or removed.
import { TYPE_LABELS } from './edits.ts';
import type { FieldDefinition, FormDefinition } from './types.ts';

function optionChanges(a: FieldDefinition, b: FieldDefinition): string[] {
  const out: string[] = [];
  const before = new Map((a.options ?? []).map((o) => [o.value, o]));
  const after = new Map((b.options ?? []).map((o) => [o.value, o]));
  for (const [value, o] of after) {
    const old = before.get(value);
    if (!old) out.push(`“${b.label}”新增选项“${o.label}”`);
    else {
      if (old.label !== o.label) out.push(`“${b.label}”的选项“${old.label}”改名为“${o.label}”`);
      if (!old.hidden && o.hidden) out.push(`“${b.label}”隐藏选项“${o.label}”`);
      if (old.hidden && !o.hidden) out.push(`“${b.label}”恢复选项“${o.label}”`);
    }
  }
  for (const [value, o] of before) if (!after.has(value)) out.push(`“${b.label}”删除选项“${o.label}”`);
  return out;
}

/** The changes from version `a` to version `b`, one sentence each; empty when they ask the same. */
export function describeChanges(a: FormDefinition, b: FormDefinition): string[] {
  const out: string[] = [];
  if (a.title !== b.title) out.push(`标题由“${a.title}”改为“${b.title}”`);
  if ((a.intro ?? '') !== (b.intro ?? '')) out.push('修改了表单说明');
  if ((a.submitLabel ?? '') !== (b.submitLabel ?? '')) out.push('修改了提交按钮文字');
  if ((a.thanks ?? '') !== (b.thanks ?? '')) out.push('修改了提交后的感谢语');
  const before = new Map(a.fields.map((f) => [f.name, f]));
  const after = new Map(b.fields.map((f) => [f.name, f]));
  b.fields.forEach((f, i) => {
    const old = before.get(f.name);
    if (!old) {
      out.push(`新增问题“${f.label}”（${TYPE_LABELS[f.type] ?? f.type}，第 ${i + 1} 题）`);
      return;
    }
    if (old.label !== f.label) out.push(`问题“${old.label}”改为“${f.label}”`);
    if (old.type !== f.type) out.push(`“${f.label}”的题型由${TYPE_LABELS[old.type] ?? old.type}改为${TYPE_LABELS[f.type] ?? f.type}`);
    if ((old.help ?? '') !== (f.help ?? '')) out.push(`修改了“${f.label}”的填写说明`);
    if (!!old.required !== !!f.required) out.push(`“${f.label}”改为${f.required ? '必填' : '选填'}`);
    out.push(...optionChanges(old, f));
  });
  for (const f of a.fields) if (!after.has(f.name)) out.push(`删除问题“${f.label}”`);
  const kept = (list: readonly FieldDefinition[]) => list.filter((f) => before.has(f.name) && after.has(f.name)).map((f) => f.name);
  if (kept(a.fields).join() !== kept(b.fields).join()) out.push('调整了问题顺序');
  return out;
}
